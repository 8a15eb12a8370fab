from pipeline.nlp.roles import area_upgrade, match_role_at, match_role_before, refine_code


def code_at(text):
    r = match_role_at(text, 0)
    return None if r is None else (r.code, r.text)


def test_modifiers_before_roles():
    assert code_at("tf lokal polisområdeschef i X") == ("lokalpolisomradeschef", "tf lokal polisområdeschef")
    assert code_at("Tf. kommundirektör") == ("kommundirektor", "Tf. kommundirektör")
    assert code_at("tillträdande vikarierande kommunpolis")[0] == "kommunpolis"


def test_roles_as_releases_write_them():
    assert code_at("säkerhetssamordnare")[0] == "sakerhetschef"
    assert code_at("finansborgarråd")[0] == "kso"
    assert code_at("vice ordförande för kommunstyrelsen")[0] == "ks_vice"
    assert code_at("kriminalinspektör och sammankallande")[0] == "polis"
    assert code_at("biträdande lokalpolisområdeschef")[0] == "polis"
    assert code_at("Bråsamordnare")[0] == "brottsforebyggande"
    assert code_at("sekreterare i rådet") == ("other", "sekreterare")


def test_plural_roles():
    assert match_role_at("kommunalråden", 0).plural
    assert match_role_at("poliserna", 0).plural
    assert not match_role_at("kommunalrådet", 0).plural
    assert match_role_before("de tre kommunalråden ", 21).plural


def test_refinements():
    r = match_role_at("planeringsledare för trygghet", 0)
    assert refine_code(r, " för trygghet", None, None) == "brottsforebyggande"
    r = match_role_at("projektledare", 0)
    assert refine_code(r, " för den nya simhallen", None, None) == "other"
    r = match_role_at("regiondirektör", 0)
    assert r.code == "myndighetschef"
    assert refine_code(r, "", "0980", None) == "kommundirektor"
    assert refine_code(r, "", "1280", None) == "myndighetschef"


def test_area_after_police_chief():
    text = "Polischef Östersund"
    r = match_role_at(text, 0)
    assert area_upgrade(r, text, r.code, lambda w: w in {"Anna"}) == "lokalpolisomradeschef"
    text = "polischef Anna Berg"
    r = match_role_at(text, 0)
    assert area_upgrade(r, text, r.code, lambda w: w in {"Anna"}) == "polis"
