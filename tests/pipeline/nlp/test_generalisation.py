"""Pattern families that the dev set once missed: roles attached to the right person, and mentions that are
named in a collaboration's sentences without being parties (invited, consulted, only compared with)."""

from datetime import date

from pipeline.nlp import AnalysisInput, analyse_one


def _roles(facts):
    return {p.name: p.role_code for p in facts.people}


def test_role_before_the_next_name_is_not_taken_by_the_previous_one(nlp):
    text = ("Ny samverkan i Sundsvall\n\nSundsvalls kommun och polisen har tecknat ett samverkansavtal. "
            "Kontaktpersoner blir trygghetssamordnare Mikael Sund och kommunpolis Ida Forsberg. "
            "– Det är bra, säger Niklas Bergström (S), KSO i Sundsvall.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 10, 8), source_kommun="2281"))
    roles = _roles(facts)
    assert roles["Mikael Sund"] == "brottsforebyggande"
    assert roles["Ida Forsberg"] == "kommunpolis"
    assert roles["Niklas Bergström"] == "kso"


def test_two_people_sharing_one_role_with_respektive(nlp):
    text = ("Nätverk mot narkotika\n\nSkövde, Mariestad och Tidaholm har bildat ett nätverk mot narkotika. "
            "Nätverket ska arbeta brottsförebyggande mot narkotikabrott och kriminella nätverk i samverkan med polisen. "
            "Peter Axelsson och Sofia Wik, kommunstyrelsens ordförande i Mariestad respektive Tidaholm, "
            "var med på det första mötet.")
    roles = _roles(analyse_one(nlp, AnalysisInput(text, published=date(2023, 3, 9), source_kommun="1496")))
    assert roles == {"Peter Axelsson": "kso", "Sofia Wik": "kso"}


def test_agency_staff_and_heads(nlp):
    text = ("Avsiktsförklaring mot felaktiga utbetalningar\n\nJönköpings kommun och Försäkringskassan har skrivit "
            "en avsiktsförklaring. – Pengarna ska gå rätt, säger Martin Åberg, regionchef på Försäkringskassan. "
            "Från Kronofogden deltar Eva Strand, enhetschef. Erik Holm, samordnare för det brottsförebyggande "
            "arbetet på Länsstyrelsen i Jönköpings län, välkomnar beslutet.")
    roles = _roles(analyse_one(nlp, AnalysisInput(text, published=date(2024, 11, 12), source_kommun="0680")))
    assert roles["Martin Åberg"] == "myndighetschef"
    assert roles["Eva Strand"] == "other"
    assert roles["Erik Holm"] == "brottsforebyggande"


def test_invited_consulted_and_compared_mentions_are_not_parties(nlp):
    text = ("Kommun och polis i samverkan\n\nKungälvs kommun och polisen har tecknat en samverkansöverenskommelse. "
            "Arbetsförmedlingen har bjudits in att delta men är inte part i överenskommelsen. "
            "Överenskommelsen har remitterats till Ekobrottsmyndigheten. Precis som i Malmö ska samverkan "
            "följas upp varje år. Samverkan leds av lokalpolisområde Kungälv, som omfattar Kungälv och Stenungsund.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 5, 28), source_kommun="1482"))
    parties = {p.party_id for c in facts.collaborations for p in c.parties}
    assert parties == {"1482", "polismyndigheten"}
    named = {code for code, _ in facts.kommuner} | {m.norm_id for m in facts.mentions}
    assert {"1280", "arbetsformedlingen", "ekobrottsmyndigheten"} <= named


def test_priority_paraphrases_and_missbruk_alone(nlp):
    text = ("Samverkan mot brott i Kungälv\n\nKungälvs kommun och polisen har tecknat en samverkansöverenskommelse "
            "mot brott. Parterna ska utbyta uppgifter mellan myndigheterna, och cykelstölderna kring busstationen "
            "ska minska. Många föräldrar har eget missbruk, och socialtjänsten erbjuder stöd.")
    facts = analyse_one(nlp, AnalysisInput(text, published=date(2024, 5, 28), source_kommun="1482"))
    areas = {p.area_code for p in facts.priority_areas}
    assert {"myndighetssamverkan", "egendomsbrott", "trygghet_offentlig_miljo"} <= areas
    assert "narkotika" not in areas  # "missbruk" without drugs named is not narkotika
