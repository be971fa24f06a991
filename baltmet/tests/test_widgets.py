"""The fast <select> draws the same HTML as Django's, escaped alike, the chosen option selected."""

from django import forms
from baltmet.widgets import FastSelect
class F(forms.Form):
    a = forms.ChoiceField(choices=[("", "Any"), ("x", "X & <y>"), ("z", "Z")], required=False)
    b = forms.ChoiceField(choices=[("", "Any"), ("x", "X & <y>"), ("z", "Z")], required=False, widget=FastSelect)
    c = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")], widget=FastSelect)
    d = forms.ChoiceField(choices=[("1", "One"), ("2", "Two")])
def test_it_draws_what_djangos_select_draws():
    f = F({"a": "x", "b": "x", "c": "2", "d": "2"})
    import re
    norm = lambda h: re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(h))).replace('name="b"', 'name="a"').replace('id="id_b"', 'id="id_a"')
    assert norm(f["b"]) == norm(f["a"]), (str(f["a"]), str(f["b"]))
    norm2 = lambda h: re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(h))).replace('name="c"', 'name="d"').replace('id="id_c"', 'id="id_d"')
    assert norm2(f["c"]) == norm2(f["d"]), (str(f["c"]), str(f["d"]))
