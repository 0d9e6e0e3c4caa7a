"""Unit tests for the privacy guard in bril.privacy."""

from __future__ import annotations

from pathlib import Path

import pytest
from wtforms import Form, TextAreaField
from wtforms.validators import ValidationError

from bril.privacy import Finding, NoPersonalData, explain, find_personal_data

ROOT = Path(__file__).resolve().parents[1]
CLEAN_CASE = (
    "Een man van 54 met 200 hennepplanten op zolder; "
    "de woningcorporatie belt de wijkagent."
)


def found(text: str) -> list[tuple[str, str]]:
    """Return (kind, matched text) for every finding, in order."""
    return [(f.kind, text[f.start:f.end]) for f in find_personal_data(text)]


class CaseForm(Form):
    notitie = TextAreaField("Notitie", validators=[NoPersonalData()])


# --- BSN ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "bsn",
    ["111222333", "123456782", "123.456.782", "123 456 782", "1234.56.782", "10000021"],
)
def test_valid_bsn_is_flagged(bsn: str) -> None:
    text = f"Zijn BSN is {bsn}, zei hij."
    assert found(text) == [("bsn", bsn)]


@pytest.mark.parametrize(
    "number",
    ["123456789", "111222334", "123.456.789", "000000000", "12345678", "10000022"],
)
def test_number_failing_elfproef_is_not_bsn(number: str) -> None:
    assert found(f"Dossiernummer {number} is afgesloten.") == []


@pytest.mark.parametrize("text", ["Code 1123456782 is lang.", "Code 1112223330 ook."])
def test_bsn_inside_longer_digit_run_is_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize("bsn", ["1 2 3 4 5 6 7 8 2", "1 1 1 2 2 2 3 3 3", "1.2.3.4.5.6.7.8.2", "1 0 0 0 0 0 2 1"])
def test_bsn_with_a_space_between_every_digit_is_flagged(bsn: str) -> None:
    assert found(f"Zijn BSN is {bsn}, zei hij.") == [("bsn", bsn)]


@pytest.mark.parametrize(
    "text", ["Score 1 2 3 4 5 6 7 8 9 van de tien.", "Reeks 1 2 3 4 5 6 7 8 2 5 is te lang.", "€ 1 2 3 4 5 6 7 8 2"]
)
def test_spaced_digits_that_are_no_bsn_are_not_flagged(text: str) -> None:
    assert found(text) == []


def test_amount_of_money_is_not_bsn() -> None:
    assert found("De schade was € 123.456.782 volgens de verzekeraar.") == []


def test_bsn_followed_by_sentence_dot_keeps_exact_offsets() -> None:
    text = "BSN: 123.456.782."
    [finding] = find_personal_data(text)
    assert (finding.start, finding.end) == (5, 16)


# --- Phone numbers -------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "06-12345678",
        "0612345678",
        "06 1234 5678",
        "06-1234 5678",
        "06 12 34 56 78",
        "06 - 12345678",
        "+31 6 12345678",
        "+31612345678",
        "0031 6 12345678",
        "0031612345678",
        "+31 (0)6 12345678",
        "020-1234567",
        "010 123 4567",
        "0591-123456",
        "(020) 123 4567",
        "+31 20 123 4567",
    ],
)
def test_dutch_phone_number_is_flagged(phone: str) -> None:
    text = f"Je kunt haar bellen op {phone} na vijf uur."
    assert found(text) == [("telefoon", phone)]


@pytest.mark.parametrize(
    "number",
    [
        "14 030",
        "14020",
        "0800-1234",
        "0800-1234567",
        "0800 1234567",
        "0900-1234567",
        "0900-123456",
        "0900 8844",
    ],
)
def test_service_number_is_not_flagged(number: str) -> None:
    assert found(f"Bel voor advies {number}, dat is het algemene nummer.") == []


@pytest.mark.parametrize(
    "number", ["06-1234567", "061234567890", "06 1234 567", "12-34567890"]
)
def test_wrong_length_or_prefix_is_not_phone(number: str) -> None:
    assert found(f"Nummer {number} klopt niet.") == []


def test_date_followed_by_time_is_not_phone() -> None:
    assert found("Overleg op 01-03-2024 12 uur in het stadhuis.") == []


def test_phone_glued_to_punctuation_is_flagged() -> None:
    assert found("tel.06-12345678.") == [("telefoon", "06-12345678")]


# --- E-mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "jan@example.nl",
        "Jan.Jansen@Gemeente-Arnhem.NL",
        "j.de-vries+werk@mail.example.com",
        "0612345678@mail.nl",
        # written to slip past a filter
        "jan[at]example.nl",
        "jan(at)example.nl",
        "jan @ example.nl",
        "jan.jansen at example dot nl",
        "jan [at] example [dot] nl",
        "jan(at)example(dot)nl",
        "Jan.Jansen AT Gemeente-Arnhem DOT NL",
        "jan {at} zorg punt nl",
        "jan@example dot com",
        "j.devries at mail.example.org",
    ],
)
def test_email_address_is_flagged(address: str) -> None:
    text = f"Mail naar {address} voor vragen."
    assert found(text) == [("email", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Mail a@b.c niet.",
        "Gebruik @wijkagent op sociale media.",
        "Zij zei: hallo@ daar.",
        "We zien elkaar at the office.",
        "Jan at zijn brood op.",
        "Hij at (at!) drie borden leeg.",
        "Kijk at home dot com-achtige sites niet.",
    ],
)
def test_text_that_is_not_an_email_is_not_flagged(text: str) -> None:
    assert found(text) == []


# --- Postcode with house number ------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "1234 AB 12",
        "1234AB 12a",
        "1234 ab 12",
        "1234 AB 12-2",
        "1234 AB, nr. 7",
        "Dorpsstraat 12, 1234 AB",
        "Kerkstraat 5a 1234AB",
        "1234 AB, huisnummer 12",
        "huisnummer 12 en postcode 1234 AB",
    ],
)
def test_postcode_with_house_number_is_flagged(address: str) -> None:
    text = f"Ze woont op {address} bij haar oom."
    assert found(text) == [("postcode", address)]


@pytest.mark.parametrize(
    "text",
    [
        "Het gaat om postcode 1234 AB in Arnhem.",
        "De wijk 6811 heeft veel signalen.",
        "Adres: 1234 SA 12.",
        "Adres: 1234 sd 12.",
        "Adres: 1234 SS 12.",
        "Adres: 0234 AB 12.",
        "In 2023 de 12 jongeren van de club.",
        "Sinds 2019 al 5 meldingen.",
        "Hij slikt 1250 mg 2 keer per dag.",
    ],
)
def test_text_without_postcode_and_house_number_is_not_flagged(text: str) -> None:
    assert found(text) == []


# --- Date of birth ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, birth_date",
    [
        ("Hij is geboren op 12-03-1998 in Tiel.", "12-03-1998"),
        ("geb. 12 mrt 1998", "12 mrt 1998"),
        ("Geboortedatum: 1998-03-12", "1998-03-12"),
        ("DOB 12/3/1998", "12/3/1998"),
        ("Haar verjaardag is 3 juni 2001.", "3 juni 2001"),
        ("gebdat 12.03.1998", "12.03.1998"),
        ("geb 5 sept. 1987", "5 sept. 1987"),
        ("geb. 12-03-98", "12-03-98"),
        ("Geboren 29-02-2000, dus een schrikkeldag.", "29-02-2000"),
        ("Piet (12-03-1998) woont bij zijn moeder.", "12-03-1998"),
        ("Over Fatima (4 mei 2004) weten we weinig.", "4 mei 2004"),
    ],
)
def test_birth_date_with_cue_is_flagged(text: str, birth_date: str) -> None:
    assert found(text) == [("geboortedatum", birth_date)]


@pytest.mark.parametrize(
    "text",
    [
        "Op 12 maart 2024 hadden we overleg.",
        "Het overleg was op 12-03-2024 om tien uur.",
        "Jeffrey is 21 jaar.",
        "Zij is 21 jaar en geboren in Marokko.",
        "Hij is geboren in Marokko. Op 12 maart 2024 kwam hij hier.",
        "Hij is geboren in een klein dorp, ver weg van de stad en kwam 12-03-2024 hier.",
        "overleg (12-03-2024) met de wijkagent",
        "Training met Piet (12-03-2024 tot 15-03-2024) in Arnhem.",
    ],
)
def test_date_without_birth_cue_is_not_flagged(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "date_text", ["31-02-1990", "29-02-1900", "1990-13-01", "32 maart 1990", "12-03-1850"]
)
def test_invalid_date_is_not_flagged(date_text: str) -> None:
    assert found(f"Geboren op {date_text}.") == []


def test_only_first_date_after_cue_is_birth_date() -> None:
    text = "Geboortedatum 1-1-1990, intake op 01-02-2024."
    assert found(text) == [("geboortedatum", "1-1-1990")]


# --- Combinations and offsets ----------------------------------------------------


def test_multiple_findings_are_returned_in_order_of_position() -> None:
    text = (
        "Jan (12-03-1998) woont op 1234 AB 5, tel 06-12345678, "
        "mail jan@example.nl, BSN 111222333."
    )
    assert found(text) == [
        ("geboortedatum", "12-03-1998"),
        ("postcode", "1234 AB 5"),
        ("telefoon", "06-12345678"),
        ("email", "jan@example.nl"),
        ("bsn", "111222333"),
    ]


def test_findings_do_not_overlap() -> None:
    text = "Mail 0612345678@example.nl of bel +31 6 12345678, BSN 123 456 782."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == ["email", "telefoon", "bsn"]
    for earlier, later in zip(findings, findings[1:]):
        assert earlier.end <= later.start


def test_finding_carries_dutch_label() -> None:
    [finding] = find_personal_data("Bel 06-12345678.")
    assert finding == Finding("telefoon", "een telefoonnummer", 4, 15)


@pytest.mark.parametrize(
    "text", [CLEAN_CASE, "", "Groep 8 van basisschool De Regenboog, 23 leerlingen."]
)
def test_clean_text_has_no_findings(text: str) -> None:
    assert find_personal_data(text) == []


# --- No false positives on ordinary text --------------------------------------------


ORDINARY = [
    "We zien elkaar at the office.",
    "Jan at zijn brood en ging naar school.",
    "Hij at om 12.30 uur een broodje bij de snackbar.",
    "Ze at at home, zei ze in het Engels.",
    "Kom om 10 uur naar het stadhuis.",
    "De training duurt van 09:00 tot 12:30 uur, met om 10.45 uur een pauze.",
    "De meldcode heeft 5 stappen.",
    "Het ging om € 123 456 789 aan zwart geld.",
    "Het ging om €123.456.782 en een auto van € 45.000,-.",
    "Er verdween 123 456 789 euro via de stichting.",
    "Hij verdiende € 1.250,- per week met 3 4 uur werk per dag.",
    "In 2019, 2020 en 2021 kwamen er 345 meldingen binnen.",
    "Van 2019 tot 2024 steeg het aantal van 12 naar 48.",
    "Op 1 januari 2024 ging de nieuwe wet in.",
    "Het overleg is op 12-03-2024 om 14:00 uur.",
    "Bel 112 bij spoed, of Meld Misdaad Anoniem op 0800-7000.",
    "Veilig Thuis is gratis te bellen op 0800-2000.",
    "Bel de politie op 0900-8844 als het geen spoed heeft.",
    "Kijk op rijksoverheid.nl of op politie.nl voor meer informatie.",
    "Meld het via meldmisdaadanoniem.nl; dat kan anoniem.",
    "Mail ons via het contactformulier op de website.",
    "Punt 3 op de agenda: de meldcode. Punt uit.",
    "Hij zat op school in Tiel. Daarna ging hij naar het mbo.",
    "Groep 7 en 8 van basisschool De Regenboog, 23 leerlingen.",
    "Artikel 272 Sr en artikel 8 EVRM gaan over geheimhouding en privacy.",
    "Dossier 2024-00123 is gesloten; zaak 24/123 loopt nog.",
    "Versie 1.2.3 van het protocol geldt sinds week 12.",
    "Kamer 1.23 op de 2e verdieping, tafel 4.",
    "De wijk 6811 in Arnhem heeft 20 woningen met signalen.",
    "Hij woont op nummer 12 in de Kerkstraat.",
    "Hij kreeg 1, 2 of 3 waarschuwingen en 2 boetes van € 95.",
    "Stap 1 2 3 van het stappenplan zijn klaar.",
    "De score was 7 8 9 op een schaal van 10.",
    "Een jongen van 16 met 2 telefoons en 500 euro contant.",
    "Hij bracht 20 pakketjes rond voor 50 euro per stuk.",
    "Tussen 22.00 en 06.00 uur komen er auto's langs.",
    "Het kenteken begint met 12-ABC, de rest weet ik niet.",
    "Zo'n 1 op de 10 jongeren krijgt zo'n aanbod.",
    "Er waren 100 200 300 mensen, zei hij overdreven.",
    "@wijkagent en #ondermijning op sociale media.",
    "Zij zei: hallo@ daar.",
    "De code van de sessie is ACD-EFH.",
    "Wat doe je at this point? En wat houdt je tegen?",
    "Het is een kwestie van dot the i's and cross the t's.",
    "Hij at snel. Nu gaat hij naar huis.",
    "Ze heeft 2 kinderen van 4 en 7 jaar.",
    "Hij is 21 jaar en geboren in Marokko.",
    "De huur is € 850 per maand, de auto kost 60.000.",
    "Hennepplantage met 200 planten, 1250 watt per lamp.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_dutch_sentences_are_not_flagged(text: str) -> None:
    assert found(text) == []


def test_nothing_in_the_bundled_content_is_flagged() -> None:
    files = [*sorted((ROOT / "stories").glob("*.md")), *sorted((ROOT / "dilemmas").glob("*.md")),
             ROOT / "wie-is-hiervan.yaml"]
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(files) > 10 and len(lines) > 3000
    assert [line for line in lines if find_personal_data(line)] == []
    assert [path.name for path in files if find_personal_data(path.read_text(encoding="utf-8"))] == []


# --- explain() ----------------------------------------------------------------------


def test_explain_uses_full_dutch_message() -> None:
    text = "Bel 06-12345678 of mail jan@example.nl."
    assert explain(find_personal_data(text)) == (
        "We hebben deze tekst niet opgeslagen. "
        "Er staat een telefoonnummer en een e-mailadres in. "
        "Bespreek casussen zonder namen of nummers: zo blijft de persoon om wie het gaat "
        "beschermd, ook als iemand anders deze tekst leest. "
        "Haal deze gegevens weg en probeer het opnieuw."
    )


@pytest.mark.parametrize(
    "text, listed",
    [
        ("Bel 06-12345678.", "Er staat een telefoonnummer in."),
        ("Mail jan.jansen at example dot nl.", "Er staat een e-mailadres in."),
        ("Zijn BSN: 1 2 3 4 5 6 7 8 2.", "Er staat een BSN (burgerservicenummer) in."),
        ("Bel 06-12345678 of 020-1234567.", "Er staat een telefoonnummer in."),
        (
            "BSN 111222333, mail a@example.nl, geb. 1-1-1990",
            "Er staat een BSN (burgerservicenummer), een e-mailadres en een geboortedatum in.",
        ),
        (
            "1234 AB 12 en 06-12345678",
            "Er staat een postcode met huisnummer en een telefoonnummer in.",
        ),
    ],
)
def test_explain_lists_each_kind_once_joined_naturally(text: str, listed: str) -> None:
    assert listed in explain(find_personal_data(text))


def test_explain_does_not_echo_the_personal_data() -> None:
    text = "BSN 111222333, 06-12345678, jan@example.nl, 1234 AB 12, geboren 12-03-1998"
    findings = find_personal_data(text)
    assert len(findings) == 5
    message = explain(findings)
    for finding in findings:
        assert text[finding.start:finding.end] not in message


def test_explain_without_findings_is_empty() -> None:
    assert explain([]) == ""


# --- WTForms validator ----------------------------------------------------------------


def test_validator_rejects_text_with_personal_data() -> None:
    form = CaseForm(data={"notitie": "Zijn moeder belt vanaf 06-12345678."})
    assert form.validate() is False
    assert form.notitie.errors == [
        explain(find_personal_data("Zijn moeder belt vanaf 06-12345678."))
    ]
    assert "06-12345678" not in form.notitie.errors[0]


def test_validator_accepts_clean_case_text() -> None:
    form = CaseForm(data={"notitie": CLEAN_CASE})
    assert form.validate() is True
    assert form.notitie.errors == []


def test_validator_raises_validation_error_directly() -> None:
    form = CaseForm(data={"notitie": "BSN 123456782"})
    with pytest.raises(ValidationError, match="een BSN"):
        NoPersonalData()(form, form.notitie)


def test_validator_accepts_empty_field() -> None:
    form = CaseForm(data={"notitie": None})
    NoPersonalData()(form, form.notitie)
    assert form.validate() is True
