"""What a browser would send from a form as a page shows it: for the functional tests of the editor's forms."""
from __future__ import annotations

import re


def unescape(value: str) -> str:
    return value.replace("&#39;", "'").replace("&#34;", '"').replace("&quot;", '"').replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&")


def posted_form(page: str, marker: str = 'class="step-form"') -> dict:
    """The fields of the form after `marker` as a browser sends them: text, hidden fields, ticked boxes (a list),
    text areas and the chosen option of each list; no button."""
    form = page.split(marker, 1)[1].split("</form>", 1)[0]
    data: dict = {}
    for tag in re.findall(r"<input[^>]*>", form):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        if 'type="checkbox"' in tag:
            if " checked" in tag:
                data.setdefault(name.group(1), []).append(unescape(value.group(1)))
            continue
        data[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        data[name] = unescape(body)
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', body)
        data[name] = unescape(next(g for g in chosen.groups() if g is not None)) if chosen else ""
    return data
