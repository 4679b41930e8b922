"""Forms of the import pages: the upload, and the exercise mapping of the preview."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from workouts.imports.cells import MAX_BYTES, decode
from workouts.imports.parsed import ImportFileError


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV export from Strong or Hevy", allow_empty_file=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is too large ({filesizeformat(upload.size)}); the limit is {filesizeformat(MAX_BYTES)}."
            )
        content = upload.read()
        try:
            decode(content)  # empty, binary: said here, before anything else
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.content = content
        return upload


class MappingForm(forms.Form):
    """One field per exercise name of the file: the name of one of our exercises, or empty to
    create a custom exercise with the file's name. Plus the unit when the file has none."""

    unit = forms.ChoiceField(label="Weights in this file are in", choices=[("kg", "kg"), ("lb", "lb")], required=False)
    skip_existing = forms.BooleanField(label="Skip workouts I already have", required=False, initial=True)

    def __init__(self, *args, matches: list[dict], names: dict[str, str], needs_unit: bool = False, **kwargs):
        """``names``: {lower-case display name or id: exercise id} of every exercise one can pick.
        ``needs_unit``: the file gives no unit, so the lifter must choose one (there is no default)."""
        super().__init__(*args, **kwargs)
        self.matches = matches
        self.names = names
        if needs_unit:
            self.fields["unit"].required = True
            self.fields["unit"].error_messages["required"] = "Choose whether this file's weights are in kg or lb."
        for index, match in enumerate(matches):
            self.fields[f"map-{index}"] = forms.CharField(
                label=match["name"], required=False, max_length=200, initial=match["exercise_name"],
                widget=forms.TextInput(attrs={"list": "exercise-names", "autocomplete": "off"}),
            )

    def rows(self):
        """(match, field) pairs, the ones that need a look first: not found, then close spellings."""
        attention = {"": 0, "fuzzy": 1}
        ordered = sorted(enumerate(self.matches), key=lambda pair: (attention.get(pair[1]["how"], 2), pair[0]))
        for index, match in ordered:
            yield match, self[f"map-{index}"]

    def clean(self):
        data = super().clean()
        mapping: dict[str, str] = {}
        for index, match in enumerate(self.matches):
            typed = (data.get(f"map-{index}") or "").strip()
            if not typed:
                mapping[match["name"]] = ""
                continue
            exercise_id = self.names.get(typed.lower())
            if exercise_id is None:
                message = f"No exercise is called {typed!r}: pick one from the list, or leave it empty to create it."
                self.add_error(f"map-{index}", message)
                continue
            mapping[match["name"]] = exercise_id
        data["mapping"] = mapping
        return data
