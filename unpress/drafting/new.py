"""`unpress new`: start a source from the skeleton in templates/new.md.j2.

The front matter holds only what the drafter gave (and the session, which the
symbol carries); the body is one of each block a resolution has, with a comment
line saying what goes there, so that the file builds and lints as it is.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
import yaml

from unpress.errors import UnpressError
from unpress.house import language as language_entry
from unpress.paths import TEMPLATES
from unpress.readers.source import SYMBOL_EXAMPLE, SYMBOL_RE

NBSP = "\u00a0"
# The skeleton's words in each language a source may be drafted in.
WORDS = {
    "en": {
        "formula": "The General Assembly",
        "title": "Title of the resolution",
        "preamble_examples": "Recalling, Recognizing, Deeply concerned",
        "preamble_opener": "Recalling",
        "preamble_text": f"its resolution 79/1 of 22{NBSP}September 2024",
        "operative_examples": "Welcomes, Requests, Decides",
        "first_opener": "Requests",
        "first_text": "the Secretary-General to submit to it at its next session a report on the "
                      "implementation of the present resolution",
        "last_opener": "Decides",
        "last_text": "to include in the provisional agenda of its next session the item entitled "
                     "“Title of the item”",
        "annex": "Annex",
        "annex_title": "Title of the annex",
        "annex_text": "Text of the annex.",
        "note": "See A/79/1.",
        "space": " ",
    },
    "fr": {
        "formula": "L’Assemblée générale",
        "title": "Titre de la résolution",
        "preamble_examples": "Rappelant, Considérant, Profondément préoccupée",
        "preamble_opener": "Rappelant",
        "preamble_text": f"sa résolution 79/1 du 22{NBSP}septembre 2024",
        "operative_examples": "Se félicite, Prie, Décide",
        "first_opener": "Prie",
        "first_text": "le Secrétaire général de lui présenter à sa prochaine session un rapport sur "
                      "l’application de la présente résolution",
        "last_opener": "Décide",
        "last_text": "d’inscrire à l’ordre du jour provisoire de sa prochaine session la question "
                     "intitulée «{NBSP}Titre de la question{NBSP}»".replace("{NBSP}", NBSP),
        "annex": "Annexe",
        "annex_title": "Titre de l’annexe",
        "annex_text": "Texte de l’annexe.",
        "note": "Voir A/79/1.",
        "space": " ",
    },
    "es": {
        "formula": "La Asamblea General",
        "title": "Título de la resolución",
        "preamble_examples": "Recordando, Reconociendo, Profundamente preocupada",
        "preamble_opener": "Recordando",
        "preamble_text": "su resolución 79/1, de 22 de septiembre de 2024",
        "operative_examples": "Acoge con beneplácito, Solicita, Decide",
        "first_opener": "Solicita",
        "first_text": "al Secretario General que le presente en su próximo período de sesiones un "
                      "informe sobre la aplicación de la presente resolución",
        "last_opener": "Decide",
        "last_text": "incluir en el programa provisional de su próximo período de sesiones el tema "
                     "titulado “Título del tema”",
        "annex": "Anexo",
        "annex_title": "Título del anexo",
        "annex_text": "Texto del anexo.",
        "note": "Véase A/79/1.",
        "space": " ",
    },
    "ru": {
        "formula": "Генеральная Ассамблея",
        "title": "Название резолюции",
        "preamble_examples": "ссылаясь, признавая, будучи глубоко обеспокоена",
        "preamble_opener": "ссылаясь",
        "preamble_text": f"на свою резолюцию 79/1 от 22{NBSP}сентября 2024 года",
        "operative_examples": "приветствует, просит, постановляет",
        "first_opener": "просит",
        "first_text": "Генерального секретаря представить ей на ее следующей сессии доклад об "
                      "осуществлении настоящей резолюции",
        "last_opener": "постановляет",
        "last_text": "включить в предварительную повестку дня своей следующей сессии пункт, "
                     "озаглавленный «Название пункта»",
        "annex": "Приложение",
        "annex_title": "Название приложения",
        "annex_text": "Текст приложения.",
        "note": "См. A/79/1.",
        "space": " ",
    },
    "ar": {
        "formula": "إن الجمعية العامة",
        "title": "عنوان القرار",
        "preamble_examples": "إذ تشير، وإذ تسلم، وإذ يساورها بالغ القلق",
        "preamble_opener": "إذ تشير",
        "preamble_text": "إلى قرارها 79/1 المؤرخ 22 أيلول/سبتمبر 2024",
        "operative_examples": "ترحب، تطلب، تقرر",
        "first_opener": "تطلب",
        "first_text": "إلى الأمين العام أن يقدم إليها في دورتها المقبلة تقريرا عن تنفيذ هذا القرار",
        "last_opener": "تقرر",
        "last_text": "أن تدرج في جدول الأعمال المؤقت لدورتها المقبلة البند المعنون ”عنوان البند“",
        "annex": "المرفق",
        "annex_title": "عنوان المرفق",
        "annex_text": "نص المرفق.",
        "note": "انظر A/79/1.",
        "space": " ",
    },
    "zh": {
        "formula": "大会",
        "title": "决议标题",
        "preamble_examples": "回顾、认识到、深为关切",
        "preamble_opener": "回顾",
        "preamble_text": "其2024年9月22日第79/1号决议",
        "operative_examples": "欢迎、请、决定",
        "first_opener": "请",
        "first_text": "秘书长向大会下届会议提交一份关于本决议执行情况的报告",
        "last_opener": "决定",
        "last_text": "将题为“项目标题”的项目列入大会下届会议临时议程",
        "annex": "附件",
        "annex_title": "附件标题",
        "annex_text": "附件案文。",
        "note": "见A/79/1。",
        "space": "",  # Chinese sets the phrase and its text without a space
    },
}
LANGUAGES = tuple(WORDS)


def new_source(symbol: str, language: str = "en", committee: str | None = None,
               title: str | None = None) -> str:
    """The text of a new source for `symbol`."""
    if not SYMBOL_RE.match(symbol):
        raise UnpressError(None, f"{symbol!r} is not a General Assembly resolution symbol such as "
                           f"{SYMBOL_EXAMPLE}")
    words = WORDS[language]
    session = symbol.split("/")[2]
    meta: dict[str, object] = {"symbol": symbol, "title": title or words["title"]}
    if session.isdigit():
        meta["session"] = int(session)
    if committee:
        meta["committee"] = committee
    meta.update(edition="current", language=language)
    front_matter = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=False,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    return environment.get_template("new.md.j2").render(front_matter=front_matter, words=words,
                                                              drafting=language_entry(language).drafting)


def run_new(symbol: str, output: Path, language: str, committee: str | None, title: str | None,
            force: bool = False) -> int:
    """Write the skeleton; an existing file is kept unless `force`."""
    if output.exists() and not force:
        raise UnpressError(output, "already exists; choose another name or give --force")
    text = new_source(symbol, language, committee, title)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UnpressError(output, f"cannot write the source: {exc.strerror}") from None
    print(f"{output}: a new source for {symbol}; replace its placeholders, then "
          f"`unpress lint {output}` and `unpress build {output}`")
    return 0
