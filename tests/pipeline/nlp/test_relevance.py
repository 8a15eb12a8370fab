import pytest

from pipeline.nlp import AnalysisInput, analyse_one
from pipeline.nlp.relevance import _cues, is_irrelevant, relevance


def test_crime_prevention_is_relevant():
    ok, score = relevance("Kommunen och polisen har tecknat en samverkansöverenskommelse mot organiserad "
                          "brottslighet och välfärdsbrott.")
    assert ok and 0.5 <= score <= 1.0


def test_ordinary_news_is_not(nlp):
    text = ("Under trafiksäkerhetsveckan delar kommunen ut reflexer vid skolorna. Polisen gör en hastighetskontroll "
            "på Storgatan. Biblioteket har nya öppettider i jul.")
    ok, score = relevance(text)
    assert not ok and 0.0 <= score < 0.5
    facts = analyse_one(nlp, AnalysisInput(text, source_kommun="0180"))
    assert not facts.is_relevant and facts.people == [] and facts.kommuner == [] and facts.mentions == []


# Police news is mostly about a crime, not about preventing it together with the kommun: such
# reports must not be relevant, while police news about a joint effort with the kommun stays relevant.
POLICE_REPORTS = {
    "burglary": ("Inbrott i tre villor i Tyresö",
                 "Under natten bröt sig okända in i tre villor i Tyresö. Tjuvarna tog smycken och kontanter. "
                 "Polisen har säkrat spår och söker vittnen. Ingen är gripen. Tips kan lämnas på 114 14."),
    "drug seizure": ("Narkotika beslagtogs i Gävle",
                     "Vid en husrannsakan hittade polisen ett kilo cannabis. En man greps och har anhållits, "
                     "misstänkt för narkotikabrott. Förundersökningen fortsätter."),
    "court": ("Kvinna döms för grov stöld",
              "Tingsrätten dömer en 40-årig kvinna till fängelse för grov stöld och narkotikabrott. "
              "Hennes försvarare säger att domen kommer att överklagas till hovrätten."),
    "traffic control": ("Rattfyllerister stoppade i Borås",
                        "Polisen gjorde nykterhetskontroller i Borås. Fyra förare misstänks för rattfylleri och "
                        "två bötfälldes för hastighetsöverträdelser. Ett körkort omhändertogs."),
    "scam warning": ("Polisen varnar för bluffsamtal",
                     "Bedragare ringer äldre och utger sig för att vara från banken. Flera har lurats på stora "
                     "summor. Polisen uppmanar alla att aldrig lämna ut koder. Ring 114 14 om du drabbats."),
}


@pytest.mark.parametrize("kind", sorted(POLICE_REPORTS))
def test_police_crime_reports_are_not_relevant(kind):
    title, text = POLICE_REPORTS[kind]
    ok, score = relevance(text, title)
    assert not ok, f"{kind}: score {score}"


def test_police_news_about_a_joint_effort_with_the_kommun_is_relevant():
    ok, _ = relevance("Polisen och Mora kommun har ett nytt medborgarlöfte. Tillsammans ska de minska "
                      "skadegörelse och narkotika i centrum och förebygga brott bland unga.",
                      "Nytt medborgarlöfte i Mora")
    assert ok
    ok, _ = relevance("Kommunen, polisen och Skatteverket gjorde en gemensam kontroll av restauranger för att "
                      "stoppa oseriösa företag och brottslighet i näringslivet.", "Gemensam kontroll i Kumla")
    assert ok


# Crime words say what a text is about; without prevention or collaboration it is not relevant,
# however much crime it names (police news of a shooting, an investigation, statistics, a new chief).
ABOUT_CRIME_ONLY = {
    "shooting": ("Skjutningarna i Husby kopplas till konflikt mellan kriminella nätverk",
                 "Polisen bedömer att skjutningarna hänger ihop med en konflikt mellan två kriminella nätverk. "
                 "Risken för fler våldsbrott och sprängningar är stor, och gängen är beväpnade."),
    "investigation": ("Utredningen om narkotikanätverket klar",
                      "Utredningen om organiserad brottslighet och grov narkotikabrottslighet i Gävle är klar. "
                      "Nätverket misstänks för penningtvätt."),
    "statistics": ("Färre bostadsinbrott i länet",
                   "Antalet anmälda bostadsinbrott och narkotikabrott minskade förra året, enligt statistik från "
                   "Brottsförebyggande rådet."),
}


@pytest.mark.parametrize("kind", sorted(ABOUT_CRIME_ONLY))
def test_crime_without_prevention_or_collaboration_is_not_relevant(kind):
    title, text = ABOUT_CRIME_ONLY[kind]
    ok, score = relevance(text, title)
    assert not ok and score >= 0.5, f"{kind}: score {score} (the crime score stays high; the verdict is no)"
    joint = text + " Kommunen och polisen har nu tecknat en samverkansöverenskommelse för att förebygga brott."
    assert relevance(joint, title)[0], f"{kind}: with a joint agreement against it, the text is relevant"


def test_an_agreement_word_alone_is_not_crime():
    text = ("Kommunen och regionen har tecknat en samverkansöverenskommelse om elevhälsa. Skolan och "
            "barnpsykiatrin ska samarbeta om remisser, och samverkan följs upp varje år.")
    ok, score = relevance(text, "Samverkansöverenskommelse om elevhälsa")
    assert not ok and score > 0.5  # much agreement language, but no crime


@pytest.mark.parametrize("word", ["brott", "brotten", "inbrott", "inbrotten", "stölder"])
def test_a_crime_word_is_counted_by_one_cue(word):
    # "brott mot trafikreglerna" in a traffic-safety text is one crime word, not two cues for the same word
    assert sum(1 for cue in _cues() if cue.regex.fullmatch(word)) == 1


def test_population_register_fraud_is_relevant():
    ok, _ = relevance("Kommunen anmäler fler misstänkt felaktiga folkbokföringar till Skatteverket. Felaktigt "
                      "folkbokförda personer kan få bidrag de inte har rätt till.", "Fler anmälningar om folkbokföring")
    assert ok


def test_is_irrelevant_guard(nlp):
    assert is_irrelevant(nlp("Biblioteket har nya öppettider och skolmaten får nya rätter."))
    assert not is_irrelevant(nlp("Polisen och Borås Stad har ett medborgarlöfte mot narkotika och brott."))
    assert not is_irrelevant(nlp.make_doc("Inget beslut ännu."))  # not judged yet: components must run


def test_an_agreement_with_the_police_is_relevant_without_other_crime_words():
    # category: a kommun–police agreement announced in one plain sentence (no crime word)
    text = "Polismyndigheten har skrivit under en samverkansöverenskommelse med Ödeshögs kommun. Den gäller 2025–2028."
    assert relevance(text, "Ny överenskommelse i Ödeshög")[0]
    # an agreement without the police stays a matter for the other cues (kommuner sign them on health care too)
    other = "Regionen och kommunerna har skrivit under en överenskommelse om hemsjukvård. Den gäller 2025–2028."
    assert not relevance(other, "Ny överenskommelse om hemsjukvård")[0]


def test_an_aim_against_crime_counts_as_action_but_violence_against_an_officer_does_not():
    named = ("Strängnäs är med i Mälarkommuner mot organiserad brottslighet, där kriminella nätverk och "
             "gängens rekrytering av unga står i fokus.")
    assert relevance(named, "Strängnäs i nytt nätverk")[0]
    report = ("Kriminella nätverk och gängens våld: en man misstänks för våld mot tjänsteman och grov "
              "narkotikabrottslighet efter helgens skjutning.")
    ok, score = relevance(report, "Man misstänks för våld mot tjänsteman")
    assert not ok and score >= 0.5
