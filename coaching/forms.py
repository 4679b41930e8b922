"""Forms of the coach's pages: a question (typed, or a suggestion button) and a fact to remember."""

from __future__ import annotations

from django import forms

from coaching.models import CoachFact
from coaching.services import MAX_QUESTION


class AskForm(forms.Form):
    question = forms.CharField(max_length=MAX_QUESTION, required=False, strip=True)
    suggestion = forms.CharField(max_length=200, required=False, strip=True)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("suggestion") or cleaned.get("question")):
            raise forms.ValidationError("Type a question or pick one of the suggestions.")
        for key in ("question", "suggestion"):
            if "\x00" in (cleaned.get(key) or ""):
                raise forms.ValidationError("The question contains a character that can't be stored.")
        return cleaned

    def asked(self) -> str:
        """A suggestion button's text wins over a half-typed question."""
        return self.cleaned_data.get("suggestion") or self.cleaned_data["question"]


class FactForm(forms.Form):
    text = forms.CharField(
        max_length=CoachFact._meta.get_field("text").max_length,
        label="Something the coach should remember",
        help_text="An injury, a goal, your schedule…",
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if "\x00" in text:
            raise forms.ValidationError("The text contains a character that can't be stored.")
        return text
