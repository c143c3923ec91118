"""The advert checker: gender-coded words, exclusionary phrases, jargon, long sentences,
reading ease and unexplained acronyms, with the built-in word lists and hand-made ones."""

from __future__ import annotations

import dataclasses
import re

import pytest

from recruit_app.domain.advert_language import (
    LanguageFlag,
    WordLists,
    check_language,
    count_syllables,
    reading_ease,
    sentences,
)
from recruit_app.library.wordlists import load_word_lists, parse_mapping, parse_stems

# Hand-made lists, so these tests do not change when the built-in lists are edited.
LISTS = WordLists(
    masculine=("compet", "lead", "self-confiden", "confident"),
    feminine=("support", "commit", "co-operat"),
    exclusionary={
        "young": "Describe the skills you need, not an age group.",
        "native English speaker": "fluent in English",
        "clean driving licence": "Ask for a driving licence only if the job needs one.",
        "able-bodied": "Describe the physical tasks the job involves.",
    },
    jargon={"rockstar": "expert", "thought leader": "expert", "going forward": "from now on"},
    known_acronyms=frozenset({"UK", "CV", "GOV.UK"}),
    not_coded=frozenset({"competency", "committee"}),
)

# 20 short sentences of long words: 100 words, Flesch score about -221.
HARD_TEXT = " ".join(
    ["Organisational accountability necessitates comprehensive documentation."] * 20
)

TRIP_ADVERT = {
    "title": "Rockstar Developer",
    "summary": (
        "Join our young, competitive team as a thought leader. You must be a native English "
        "speaker with a clean driving licence."
    ),
    "responsibilities": (
        "- Support the AWS platform and CI/CD pipelines\n"
        "- Work with the committee on competency frameworks\n"
        "- Use AWS daily"
    ),
    "person_specification": (
        "You will be self-confident and co-operative, and you will work with designers, "
        "researchers, analysts, product managers and other developers across the whole of "
        "the organisation going forward."
    ),
    "selection_process": HARD_TEXT,
}


def _where(flags: list[LanguageFlag]) -> list[tuple[str, str, str]]:
    return [(flag.kind, flag.section, flag.text) for flag in flags]


# --- The whole checker ---------------------------------------------------------------


def test_an_advert_written_to_trip_every_check_gets_exactly_these_flags_in_order():
    flags = check_language(TRIP_ADVERT, LISTS)
    assert _where(flags) == [
        ("jargon", "title", "Rockstar"),
        ("exclusionary", "summary", "young"),
        ("masculine-coded", "summary", "competitive"),
        ("jargon", "summary", "thought leader"),
        ("exclusionary", "summary", "native English speaker"),
        ("exclusionary", "summary", "clean driving licence"),
        ("feminine-coded", "responsibilities", "Support"),
        ("acronym", "responsibilities", "AWS"),
        ("acronym", "responsibilities", "CI/CD"),
        ("long-sentence", "person_specification", TRIP_ADVERT["person_specification"]),
        ("masculine-coded", "person_specification", "self-confident"),
        ("feminine-coded", "person_specification", "co-operative"),
        ("jargon", "person_specification", "going forward"),
        ("reading-ease", "selection_process", HARD_TEXT),
    ]
    assert {flag.severity for flag in flags} == {"warning"}


def test_flags_carry_exact_offsets_into_their_section():
    flags = {(flag.kind, flag.text): flag for flag in check_language(TRIP_ADVERT, LISTS)}
    summary = TRIP_ADVERT["summary"]
    competitive = flags["masculine-coded", "competitive"]
    assert (competitive.start, competitive.end) == (16, 27)
    assert summary[16:27] == "competitive"
    speaker = flags["exclusionary", "native English speaker"]
    assert (speaker.start, speaker.end) == (68, 90)
    cicd = flags["acronym", "CI/CD"]
    assert (cicd.start, cicd.end) == (31, 36)
    sentence = flags["long-sentence", TRIP_ADVERT["person_specification"]]
    assert (sentence.start, sentence.end) == (0, len(TRIP_ADVERT["person_specification"]))
    score = flags["reading-ease", HARD_TEXT]
    assert (score.start, score.end) == (0, len(HARD_TEXT))


def test_messages_and_suggestions_are_plain_english():
    flags = {(flag.kind, flag.text): flag for flag in check_language(TRIP_ADVERT, LISTS)}
    rockstar = flags["jargon", "Rockstar"]
    assert rockstar.message == "“Rockstar” is jargon; say “Expert” instead"
    assert rockstar.suggestion == "Expert"  # capitalised like the words it replaces
    speaker = flags["exclusionary", "native English speaker"]
    assert speaker.message == (
        "“native English speaker” may put off or exclude some applicants; "
        "say “fluent in English” instead"
    )
    licence = flags["exclusionary", "clean driving licence"]
    assert licence.suggestion == ""  # advice, not a swap
    assert licence.message.endswith(". Ask for a driving licence only if the job needs one.")
    assert "masculine-coded" in flags["masculine-coded", "competitive"].message
    assert flags["long-sentence", TRIP_ADVERT["person_specification"]].message.startswith(
        "This sentence has 27 words; aim for 25 or fewer."
    )
    assert flags["reading-ease", HARD_TEXT].message == (
        "Reading ease score -221 (very hard to read): aim for 60 or more by using "
        "shorter sentences and everyday words."
    )
    assert flags["acronym", "AWS"].message.startswith("“AWS” is not spelled out.")


CLEAN_ADVERT = {
    "title": "Case Officer",
    "summary": (
        "We are looking for a Case Officer to join our team in Leeds. You will help people "
        "who write to us about their benefits. No two days are the same."
    ),
    "job_description": (
        "You will read letters and emails from the public and find out what each person "
        "needs. You will check our records, talk to other teams and write clear replies. "
        "Some cases are simple. Others take careful research over several weeks.\n\n"
        "You will work on a shared case list with six other officers. Your manager will "
        "meet you each week to talk about your cases and how you are getting on. Full "
        "training is given in your first month, so you do not need to have done this work "
        "before. We will also pay for a course in case work if you would like one."
    ),
    "responsibilities": (
        "- Reply to letters and emails within ten working days\n"
        "- Keep case notes up to date\n"
        "- Call people when a case needs more detail\n"
        "- Pass urgent cases to a senior officer\n"
        "- Help new staff learn the case system"
    ),
    "person_specification": (
        "You will need to write clearly and plainly. You should be able to plan your own "
        "time and ask for help when you need it. We will assess these skills at interview."
    ),
    "selection_process": (
        "Security Check (SC) is needed for this role. We will start the SC process after "
        "you accept an offer. The sift uses your CV and a short personal statement of up "
        "to 500 words."
    ),
    "benefits": (
        "- 25 days of paid leave, rising to 30 days\n"
        "- A Civil Service pension\n"
        "- Flexible working hours"
    ),
}


@pytest.mark.parametrize("lists", [LISTS, load_word_lists()], ids=["hand-made", "built-in"])
def test_a_plainly_written_advert_gets_no_flags(lists):
    words = sum(len(text.split()) for text in CLEAN_ADVERT.values())
    assert words >= 150
    assert len(CLEAN_ADVERT["job_description"].split()) >= 100  # long enough to be scored
    assert check_language(CLEAN_ADVERT, lists) == []


def test_no_sections_and_empty_sections_give_no_flags():
    assert check_language({}, LISTS) == []
    assert check_language({"summary": "", "benefits": "  \n"}, LISTS) == []


def test_the_built_in_lists_flag_research_words_and_spare_look_alikes():
    text = (
        "Our rockstar ninjas lead a young, energetic team. "
        "Competency-based interviews are run by a committee."
    )
    flags = check_language({"summary": text}, load_word_lists())
    assert [(flag.kind, flag.start, flag.end, flag.text) for flag in flags] == [
        ("jargon", 4, 12, "rockstar"),
        ("jargon", 13, 19, "ninjas"),
        ("masculine-coded", 20, 24, "lead"),
        ("exclusionary", 27, 32, "young"),
        ("exclusionary", 34, 43, "energetic"),
    ]
    assert flags[4].suggestion == "enthusiastic"


# --- Words and phrases ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("competitive pay", [("masculine-coded", "competitive")]),
        ("a COMPETITION", [("masculine-coded", "COMPETITION")]),
        ("incompetent", []),  # stems match only at the start of a word
        ("competency-based interviews", []),  # a listed look-alike is not coded
        (
            "leadership and leaders",
            [("masculine-coded", "leadership"), ("masculine-coded", "leaders")],
        ),
        ("the leader's job", [("masculine-coded", "leader")]),
        ("well-supported staff", [("feminine-coded", "supported")]),
        ("self-confidence", [("masculine-coded", "self-confidence")]),  # one flag, not two
        ("co-operation", [("feminine-coded", "co-operation")]),
        ("the committee", []),
        ("a commitment", [("feminine-coded", "commitment")]),
    ],
)
def test_gender_coded_stems(text, expected):
    assert [(f.kind, f.text) for f in check_language({"s": text}, LISTS)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Young people", ["Young"]),
        ("younger staff", []),  # whole words only
        ("ROCKSTARS wanted", ["ROCKSTARS"]),  # any case, and plurals
        ("able bodied", ["able bodied"]),  # a space where the list has a hyphen
        ("able-bodied", ["able-bodied"]),
        ("native English speakers", ["native English speakers"]),
        ("a native English\nspeaker", ["native English\nspeaker"]),
        ("going forwards", ["going forwards"]),
        ("forward going", []),
    ],
)
def test_phrases_match_whole_words_in_any_case(text, expected):
    assert [f.text for f in check_language({"s": text}, LISTS)] == expected


def test_a_flagged_phrase_hides_coded_words_inside_it():
    flags = check_language({"s": "Be a thought leader."}, LISTS)
    assert _where(flags) == [("jargon", "s", "thought leader")]


# --- Sentences -----------------------------------------------------------------------


def _sentence_texts(text: str) -> list[str]:
    return [text[start:end] for start, end in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two! Three? Four", ["One.", "Two!", "Three?", "Four"]),
        ("Tools, e.g. Excel and Word. Next.", ["Tools, e.g. Excel and Word.", "Next."]),
        ("That is, i.e. this. Next.", ["That is, i.e. this.", "Next."]),
        ("Pay rose 3.5% this year. Next.", ["Pay rose 3.5% this year.", "Next."]),
        ("Ask Dr. Patel or Mr. Jones.", ["Ask Dr. Patel or Mr. Jones."]),
        ("Pens, paper etc. are free.", ["Pens, paper etc. are free."]),
        ("£30,000 p.a. plus a bonus.", ["£30,000 p.a. plus a bonus."]),
        ("Written by J. Smith today.", ["Written by J. Smith today."]),
        ("He said “stop.” Then left.", ["He said “stop.”", "Then left."]),
        ("See GOV.UK for more.", ["See GOV.UK for more."]),
        ("- first point\n- second point\n", ["first point", "second point"]),
        ("1. Apply online\n2) Sit a test", ["Apply online", "Sit a test"]),
        ("Heading\n\n   \nBody text. More", ["Heading", "Body text.", "More"]),
        ("- \n...\n", []),
        ("", []),
    ],
)
def test_sentence_splitting(text, expected):
    assert _sentence_texts(text) == expected


def test_sentence_spans_are_offsets_into_the_text():
    assert sentences("  Hi there.  Bye.\n- Item") == [(2, 11), (13, 17), (20, 24)]


def test_a_bullet_list_is_not_one_long_sentence():
    bullets = "\n".join(f"- Point number {n} about the job" for n in range(10))
    assert check_language({"s": bullets}, LISTS) == []


def test_sentence_length_limit_is_inclusive_and_adjustable():
    words_25 = " ".join(["word"] * 25) + "."
    words_26 = " ".join(["word"] * 26) + "."
    assert check_language({"s": words_25}, LISTS) == []
    flags = check_language({"s": words_26}, LISTS)
    assert _where(flags) == [("long-sentence", "s", words_26)]
    assert check_language({"s": words_26}, LISTS, max_sentence_words=30) == []
    assert len(check_language({"s": "One two three four."}, LISTS, max_sentence_words=3)) == 1


# --- Reading ease --------------------------------------------------------------------


def test_reading_ease_of_known_texts():
    # 6 words, 1 sentence, 6 syllables: 206.835 - 1.015 * 6 - 84.6 * 1.
    assert reading_ease("The cat sat on the mat.") == pytest.approx(116.145)
    # 7 words, 2 sentences, 8 syllables (counted by hand): 106.6.
    assert reading_ease("You will help people. We train you.") == pytest.approx(106.6, abs=1)
    # 13 words, 1 sentence, 26 syllables (counted by hand): 24.4.
    platypus = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    assert reading_ease(platypus) == pytest.approx(24.4, abs=8)
    # 5 words, 1 sentence, 25 syllables (counted by hand): -221.2.
    hard = "Organisational accountability necessitates comprehensive documentation."
    assert reading_ease(hard) == pytest.approx(-221.2, abs=1)
    assert reading_ease("") == 0.0


def test_plain_text_scores_higher_than_official_text():
    plain = "We will pay you on the last day of each month. Tell us if your bank changes."
    official = (
        "Remuneration will be disbursed on the final working day of each calendar month. "
        "Notification of alterations to banking arrangements is required."
    )
    assert reading_ease(plain) > 70 > 40 > reading_ease(official)


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("the", 1),
        ("make", 1),
        ("makes", 1),
        ("table", 2),
        ("people", 2),
        ("worked", 1),
        ("wanted", 2),
        ("studies", 2),
        ("boxes", 2),
        ("media", 3),
        ("experience", 4),
        ("being", 2),
        ("recruitment", 3),
        ("application", 4),
        ("responsibilities", 6),
        ("documentation", 5),
        ("well-known", 2),
        ("NHS", 3),
        ("2026", 1),
    ],
)
def test_syllable_heuristic(word, syllables):
    assert count_syllables(word) == syllables


def test_reading_ease_is_checked_only_on_sections_of_100_words_or_more():
    hard_99 = " ".join(HARD_TEXT.split()[:99])
    assert check_language({"s": hard_99}, LISTS) == []
    assert _where(check_language({"s": HARD_TEXT}, LISTS)) == [("reading-ease", "s", HARD_TEXT)]
    assert check_language({"s": HARD_TEXT}, LISTS, min_reading_ease=-300) == []


# --- Acronyms ------------------------------------------------------------------------


def _acronyms(sections: dict[str, str]) -> list[tuple[str, str, int]]:
    return [
        (flag.section, flag.text, flag.start)
        for flag in check_language(sections, LISTS)
        if flag.kind == "acronym"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Security Check (SC) is needed. SC takes four weeks.",
        "SC (Security Check) is needed. SC takes four weeks.",
        "SC (a Security Check clearance) is needed. Then SC.",
        "Department for Work and Pensions (DWP) staff. DWP pays.",
        "Continuous Integration and Continuous Delivery (CI/CD). Use CI/CD.",
        "Skills Framework for the Information Age (SFIA) levels. SFIA 4.",
        "Application Programming Interfaces (APIs) and more APIs.",
        "the security check (SC) and the SC",
    ],
)
def test_an_expanded_acronym_is_not_flagged(text):
    assert _acronyms({"s": text}) == []


def test_only_the_first_unexpanded_use_is_flagged():
    text = "AWS hosts it. We like AWS. Amazon Web Services (AWS) is big. AWS again."
    assert _acronyms({"s": text}) == [("s", "AWS", 0)]


def test_an_expansion_covers_later_sections_but_not_earlier_ones():
    sections = {
        "summary": "You need SC. Apply by May.",
        "selection_process": "Security Check (SC) is needed. SFIA levels apply.",
        "benefits": "SC is paid for. SFIA training too.",
    }
    assert _acronyms(sections) == [("summary", "SC", 9), ("selection_process", "SFIA", 31)]


def test_a_bracket_that_does_not_spell_the_acronym_is_a_use():
    assert _acronyms({"s": "Our clearance (SC) is needed."}) == [("s", "SC", 15)]


def test_a_plural_acronym_is_flagged_as_written_and_named_without_the_s():
    flags = check_language({"s": "We build APIs."}, LISTS)
    assert _where(flags) == [("acronym", "s", "APIs")]
    assert flags[0].message.startswith("“API” is not spelled out.")


@pytest.mark.parametrize(
    "text",
    [
        "Work in the UK, see GOV.UK and send a CV or two CVs.",  # known
        "Grade II and Part IV and Section XII.",  # Roman numerals
        "Level B2, code KR8, number 283922, office SW1A 2AA, LS1 4AP.",  # codes
        "ABOUT THE ROLE\nYou will write code.",  # a heading in capitals
        "I can do A/B tests and R&D.",  # no two capitals together
        "A PhD in Maths.",
    ],
)
def test_known_acronyms_numerals_codes_and_headings_are_not_flagged(text):
    assert _acronyms({"s": text}) == []


# --- The built-in lists ------------------------------------------------------------------


def test_the_built_in_lists_load_and_are_not_empty():
    lists = load_word_lists()
    assert lists is load_word_lists()  # read once
    assert {"compet", "lead", "self-confiden", "analy"} <= set(lists.masculine)
    assert {"support", "understand", "commit", "co-operat"} <= set(lists.feminine)
    assert {"competency", "committee"} <= lists.not_coded
    assert 25 <= len(lists.exclusionary) <= 60
    assert 25 <= len(lists.jargon) <= 60
    assert lists.jargon["rockstar"] == "expert"
    assert {"UK", "CV", "HR", "IT", "EU", "NHS", "GOV.UK", "ID"} <= lists.known_acronyms
    assert all(suggestion for suggestion in lists.exclusionary.values())
    with pytest.raises(TypeError):
        lists.jargon["synergy"] = "changed"  # the shared, cached lists are read-only


def test_word_lists_and_flags_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        LISTS.masculine = ()
    flag = check_language({"s": "rockstar"}, LISTS)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        flag.text = "changed"


def test_parsing_skips_comments_and_blank_lines():
    stems, exceptions = parse_stems("# Source: a paper\n\nCompet\n!Competency  # not coded\nlead\n")
    assert stems == ("compet", "lead")
    assert exceptions == frozenset({"competency"})
    mapping = parse_mapping("# comment\nrockstar | expert\n\n going forward|from now on \n", "x")
    assert mapping == {"rockstar": "expert", "going forward": "from now on"}


def test_a_bad_mapping_line_names_its_file_and_line():
    expected = re.escape("jargon.txt line 2: expected “phrase | suggestion”, got “guru”")
    with pytest.raises(ValueError, match=expected):
        parse_mapping("ninja | expert\nguru\n", "jargon.txt")


def _coded(kind: str, word: str) -> LanguageFlag:
    return LanguageFlag(kind, "summary", 0, len(word), word, f"“{word}” is {kind}")


def test_gender_lean_needs_a_margin_of_two():
    from recruit_app.domain.advert_language import gender_lean, keep_leaning_side

    balanced = [_coded("masculine-coded", "confident"), _coded("feminine-coded", "support")]
    assert gender_lean(balanced) == (None, 1, 1)
    assert keep_leaning_side(balanced) == []
    leaning = [
        *balanced,
        _coded("masculine-coded", "competitive"),
        _coded("masculine-coded", "driven"),
        _coded("jargon", "synergy"),
    ]
    assert gender_lean(leaning) == ("masculine-coded", 3, 1)
    assert [f.text for f in keep_leaning_side(leaning)] == [
        "confident",
        "competitive",
        "driven",
        "synergy",
    ]


def test_ordinary_civil_service_verbs_and_behaviour_names_are_not_gender_coded():
    """Analysing, deciding and the Success Profiles behaviours' own names are the job, not
    a coded trait; the traits the research found coded still are."""
    text = (
        "You will analyse data, analyze trends and write an analysis. You decide, you "
        "decided, deciding well: Making Effective Decisions and Leadership are assessed. "
        "We want an analytical, decisive person."
    )
    flags = check_language({"summary": text}, load_word_lists())
    assert [(flag.kind, flag.text) for flag in flags] == [
        ("masculine-coded", "analytical"),
        ("masculine-coded", "decisive"),
    ]
