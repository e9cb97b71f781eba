"""The sentences match reasons say, in English; their Chinese is in core/locale (core/phrases.py, core/i18n.py).

A technique or rule makes a reason with `Reason.of(technique, CODE, delta, **params)`; the code names
one of the messages below. Fields in braces are the parameters; `terms` are words translated on their
own (a kind of name, an edit, a place where goods were named); `scored` messages show officers how
they moved the score, e.g. `(+0.05)`, and never show it to brand owners or in notices.
"""

from __future__ import annotations

from ..core.phrases import N_, message

# Names in the title (techniques/)
EXACT = message("exact", N_("exact {kind} {name} in title"), terms=("kind",))
EXACT_AS = message("exact_as", N_("exact {kind} {name} in title as {found}"), terms=("kind",))
NORMALISED = message("normalised", N_("{changes} {found}→{name}"), terms=("changes",))
LOOKALIKE = message("lookalike", N_("look-alike {found}≈{name}"))
GLYPH = message("glyph", N_("look-alike {found}≈{name} ({how})"))
GLYPH_TWO = message("glyph_two", N_("look-alike {found}≈{name} ({second}, {third})"))
EDIT = message("edit", N_("{edit} {found}≈{name} ({seen})"), terms=("edit",))
HOMOPHONE = message("homophone", N_("homophone {found}≈{name} ({found_reading} ~ {name_reading})"))
PINYIN = message("pinyin", N_("pinyin {found}≈{name} ({syllables})"))
MISSPELLING_ONE = message("misspelling_one", N_("misspelling {found}≈{name} (1 letter changed)"))
MISSPELLING = message("misspelling", N_("misspelling {found}≈{name} ({changed} letters changed)"))
EVOKED_NAME = message("evoked_name", N_("evoked name {found} for {name}"))

# How one character imitates another (text/glyphs.py) and what one edit did (techniques/edit.py)
LOOKS_LIKE = message("looks_like", N_("{seen} looks like {meant}"))
KEEPS_PART = message("keeps_part", N_("{seen} keeps {part} of {meant}"))
WITHOUT_PART = message("without_part", N_("{seen} is {meant} without {part}"))
WITH_PART = message("with_part", N_("{seen} is {meant} with {part} added"))
ADDED = message("added", N_("{char} added"))
LEFT_OUT = message("left_out", N_("{char} left out"))
IN_PLACE_OF = message("in_place_of", N_("{seen} for {meant}"))

# Pictures (techniques/image_copy.py, logo.py, image_text.py, phash.py)
MIRRORED = message("mirrored", N_(" (mirrored)"))
IMAGE_REGIONS = message("image_regions", N_(
    "image regions match reference {reference}: {regions} crop-resistant hashes agree{mirrored}"))
IMAGE_PHASH = message("image_phash", N_("image phash distance {distance}/{bits} to reference {reference}{mirrored}"))
LOGO = message("logo", N_(
    "logo found ({inliers} inliers, {agreement} of its detail) from reference {reference}{mirrored}"))
IMAGE_TEXT = message("image_text", N_("brand in image text: {printed}"))
IMAGE_TEXT_HOW = message("image_text_how", N_("brand in image text: {printed} ({how})"))

# Places (gi/gazetteer.py)
PLACE_AMBIGUOUS = message("place_ambiguous", N_("{written} (ambiguous: {readings})"))
PLACE_UNKNOWN = message("place_unknown", N_("unknown ({problem})"))
PLACE_READ_AS_ANY = message("place_read_as_any", N_("{written} (read as any of {readings})"))
PLACE_READ_AS = message("place_read_as", N_("{written} ({reading})"))
PLACES_CONTRADICT = message("places_contradict", N_("contradictory places {names}"))
NO_PLACE = message("no_place", N_("no place name"))
NO_TEXT = message("no_text", N_("empty"))
NO_LOCATION = message("no_location", N_("no location"))
AMBIGUOUS = message("ambiguous", N_("ambiguous"))
UNKNOWN_PLACE = message("unknown_place", N_("unknown"))

# Geographical indications (gi/)
OUTSIDE_REGION = message("outside_region", N_("seller outside the GI region {region}: {location}"), scored=True)
ORIGIN_NAMED_OUTSIDE = message("origin_named_outside", N_(
    "title names {phrase} ({reading}) as the origin, outside the GI region {region}"), scored=True)
IN_REGION = message("in_region", N_("seller in the GI region {place}: {location}"), scored=True)
OUT_OF_SEASON = message("out_of_season", N_(
    "offered fresh ({word}) in {fresh_month}, outside {name}'s harvest season ({season_months})"), scored=True)
OVER_OUTPUT = message("over_output", N_(
    "offers {phrase} (≈{tonnes} t), more than {name}'s known yearly output of {limit} t"), scored=True)
OVER_OUTPUT_SOURCE = message("over_output_source", N_(
    "offers {phrase} (≈{tonnes} t), more than {name}'s known yearly output of {limit} t, {source}"), scored=True)
EVOCATION_OF = message("evocation_of", N_("of {name}: {qualifier} ({gloss}) {where} {phrase}"), terms=("where",))
EVOCATION_OF_PLAIN = message("evocation_of_plain", N_("of {name}: {qualifier} {where} {phrase}"), terms=("where",))
EVOCATION_IN = message("evocation_in", N_("of {name}: {qualifier} ({gloss}) in {phrase}"))
EVOCATION_IN_PLAIN = message("evocation_in_plain", N_("of {name}: {qualifier} in {phrase}"))
BEFORE_NAME = N_("before the name in")
AFTER_NAME = N_("after the name in")
EVOCATION = message("evocation", N_("evocation {detail}, whatever the seller's origin"), scored=True)
EVOCATION_UNKNOWN = message("evocation_unknown", N_(
    "evocation {detail}; seller location unknown ({why}), confidence not raised"), scored=True)

# Old brands (rules/heritage.py)
A_SELLER = message("a_seller", N_("a seller"))
FALSE_HERITAGE = message("false_heritage", N_("heritage claim {claim} for {name} by {seller}, not the owner's shop"),
                         scored=True)
GENERIC_USE = message("generic_use", N_(
    "generic use {phrase}: the common name of a dish or style, no heritage claim or logo"), scored=True)

# Context of the listing (rules/context.py)
ACCESSORY = message("accessory", N_("accessory {accessory} after {found}: names what it fits"), scored=True)
DESCRIPTIVE = message("descriptive", N_("descriptive use {cue} before {found}"), scored=True)
GOODS_FIT = message("goods_fit", N_("goods {words} in the {where} are in {name}'s classes {classes}"), scored=True,
                    terms=("where",))
GOODS_OTHER = message("goods_other", N_(
    "goods {words} in the {where} (Nice {their_classes}) are outside {name}'s classes {classes}"), scored=True,
    terms=("where",))
IN_TITLE = N_("title")
IN_CATEGORY = N_("category")
AUTHORISED = message("authorised", N_("authorised seller {seller} (score cleared)"))
PRICE = message("price", N_("price {price} is {share}% of reference {reference}"), scored=True)
CATEGORY_FAR = message("category_far", N_("category {category} (Nice {their_classes}) is far from {name}'s classes "
                                          "{classes}"), scored=True)
GOODS_FAR = message("goods_far", N_("goods {words} (Nice {their_classes}) are far from {name}'s classes {classes}"),
                    scored=True)

# Kinds of name and of change, translated as words
KIND_WORDS = (N_("name"), N_("alias"))
EDIT_WORDS = (N_("inserted"), N_("dropped"), N_("swapped"), N_("replaced"))
CHANGE_WORDS = (N_("full-width"), N_("katakana"), N_("traditional"), N_("spacing"), N_("punctuation"), N_("symbols"),
                N_("hidden characters"), N_("compatibility form"))  # "case" is never said: exact leaves it out
