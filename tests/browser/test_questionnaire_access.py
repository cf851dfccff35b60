"""The questionnaire by keyboard alone, and on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Answer
from assessments.selectors import bank_dimensions

FOCUS_STYLE = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        name: el.getAttribute("name") || el.textContent.trim().slice(0, 40),
        value: el.value,
        focusVisible: el.matches(":focus-visible"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
    };
}"""


@pytest.mark.browser
def test_a_question_can_be_answered_with_the_keyboard_alone(
    live_server, respondent, page, shot, assert_no_external_requests
):
    dimension = bank_dimensions(respondent.assessment.bank)[0]
    question = dimension.question_list[0]
    page.goto(f"{live_server.url}/r/{respondent.token}/s/{dimension.key}/")
    page.wait_for_function("() => window.htmx !== undefined")

    # Tab from the top of the page to the first question's radio group; every element
    # that takes focus on the way shows a visible focus outline.
    radio_name = f"{question.key}-value"
    focused = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUS_STYLE))
        if focused[-1]["name"] == radio_name:
            break
    else:
        pytest.fail(f"Tab never reached {radio_name}: {[f['name'] for f in focused]}")
    assert focused[0]["name"] == "Skip to content"
    for element in focused:
        assert element["focusVisible"], element
        assert element["outlineStyle"] != "none" and element["outlineWidth"] >= 2, element

    # No level chosen yet: focus is on level 1. Space chooses it, arrows move the choice
    # Each move autosaves; quick moves must leave the last choice in the database, so the
    # fieldset queues its requests (hx-sync "queue last"): with "replace" an aborted
    # request could still reach the server after the newer one and overwrite it.
    assert focused[-1]["value"] == "1"
    with page.expect_response(lambda r: r.url.endswith(f"/q/{question.key}/")):
        page.keyboard.press("Space")
    for key in ["ArrowDown", "ArrowDown", "ArrowDown", "ArrowUp", "ArrowUp"]:
        page.keyboard.press(key)
    radios = page.locator(f'input[name="{radio_name}"]')
    expect(radios.nth(1)).to_be_checked()
    expect(radios.nth(1)).to_be_focused()
    fieldset = page.locator(f"#q-{question.key}")
    expect(fieldset.locator(".save-status .saved")).to_contain_text("Saved at")
    expect(fieldset).not_to_have_class(re.compile(r"\bhtmx-request\b"))  # all settled
    after_arrows = page.evaluate(FOCUS_STYLE)
    assert after_arrows["focusVisible"] and after_arrows["outlineStyle"] != "none"
    shot(page, "keyboard-focus-on-level-2")

    answer = Answer.objects.get(respondent=respondent, question=question)
    assert (answer.kind, answer.level) == ("level", 2)
    assert_no_external_requests()


@pytest.mark.browser
def test_pages_fit_a_phone_screen_without_horizontal_scrolling(
    live_server, respondent, make_context, shot, assert_no_external_requests
):
    dimension = bank_dimensions(respondent.assessment.bank)[0]
    context = make_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    base = f"{live_server.url}/r/{respondent.token}"
    for name, url in [
        ("welcome", f"{base}/"),
        ("section", f"{base}/s/{dimension.key}/"),
        ("review", f"{base}/review/"),
    ]:
        page.goto(url)
        page.wait_for_load_state("load")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= 390 + 1, f"{name} page scrolls sideways on a phone: {widths}"
        shot(page, f"phone-{name}")
    assert_no_external_requests()
