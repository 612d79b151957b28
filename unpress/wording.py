"""The words unpress generates rather than reads: dates and session ordinals, as the UN prints them.

Shared by every writer that prints them (HTML/PDF, AKN): a writer never
imports another writer for its wording.
"""

from __future__ import annotations

from datetime import date

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
UNIT_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
         "sixteenth", "seventeenth", "eighteenth", "nineteenth")
TENS = ("", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")


def longdate(value: date) -> str:
    """UN style: "23 December 2003", with no-break spaces as the official files carry."""
    return f"{value.day}\u00a0{MONTHS[value.month - 1]}\u00a0{value.year}"


def ordinal_session(number: int) -> str:
    """The session in words, as the masthead prints it: "Fifty-eighth", "Eightieth"."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    if rest == 0:
        words = ""
    elif rest < 10:
        words = UNITS[units]
    elif rest < 20:
        words = TEENS[rest - 10]
    elif units == 0:
        words = TENS[tens] + "ieth"
    else:
        words = TENS[tens] + "y-" + UNITS[units]
    if hundreds:
        head = UNIT_WORDS[hundreds] + " hundred"
        words = f"{head} and {words}" if words else head + "th"
    return words[:1].upper() + words[1:]
