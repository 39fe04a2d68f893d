"""The product a flagged passage promotes when no watched product is named in it.

Sentences written for these tests; each case is one way the old guess (first
multi-word capitalised name absent elsewhere) failed on the dev data.
"""

from __future__ import annotations

import pytest

from factcheck.product_guess import guess_product


def guess(editorial: str, passage: str) -> str | None:
    text = editorial + "\n\n" + passage
    return guess_product(text, (len(editorial) + 2, len(text)))


@pytest.mark.parametrize("passage,expected", [
    # one-word brands, possessive dropped
    ("For those who value craft, consider a coat from Harrowgate's autumn line.", "Harrowgate"),
    # a brand-shaped word opening a sentence still counts; "Perhaps" does not
    ("Perhaps you need more. QuickVault keeps every receipt in one place.", "QuickVault"),
    # an opening call to action is not part of the name
    ("Try SlimLeaf Tea today and feel the difference within a week.", "SlimLeaf Tea"),
    # model numbers belong to the name
    ("The Norvik Aero 3 gives every runner a spring in the step.", "Norvik Aero 3"),
    # a discount code is not the product
    ("Use code WINTER15 at checkout to get Glowmint Serum for less.", "Glowmint Serum"),
    # where it is sold is not what is sold
    ("Fans on ShopNest rave that Dewberry Night Cream works overnight.", "Dewberry Night Cream"),
    # a quoted name wins
    ('Many swear by "Golden Root Elixir" for energy, says Lin Park.', "Golden Root Elixir"),
    # a person who speaks is not the product
    ("Alma Reyes said that Brightwell Vitamins changed her mornings.", "Brightwell Vitamins"),
    # nor one who "says", signed with a first name and an initial
    ('"I sleep at last," says accountant Marlene T. from Ohio, who takes Dreamwell Drops.',
     "Dreamwell Drops"),
    # "called X" names the product
    ("Savers in Leeds are trying a platform called Quantivex.", "Quantivex"),
    # a date is not a product
    ("From September 1 the Glowmint app is free for a week.", "Glowmint"),
    # nor is "I'd"
    ("Since then I'd recommend Calmora to anyone.", "Calmora"),
])
def test_guess_picks_the_promoted_name(passage, expected):
    editorial = "The city council met on Tuesday to discuss the new bus routes."
    assert guess(editorial, passage) == expected


def test_a_name_from_the_editorial_text_loses_to_one_only_in_the_passage():
    editorial = "Marlow Motors reported higher sales. Marlow Motors opened a plant."
    passage = "Drivers love how Marlow Motors cars pair with the Zephyr Drive Kit, on sale now."
    assert guess(editorial, passage) == "Zephyr Drive Kit"


def test_demonyms_and_sentence_capitals_alone_give_no_product():
    passage = "Italian cooking is loved everywhere. Enjoy it tonight."
    assert guess("The council met on Tuesday.", passage) is None


def test_a_name_repeated_in_another_passage_still_counts_as_inserted():
    first = "Drivers swear by the Zephyr Drive Kit, on sale now."
    second = "Fans of Harbor Gear love the Zephyr Drive Kit even more."
    text = ("Harbor Gear opened a store in the harbour district on Monday.\n\n" + first
            + "\n\nThe council approved the new parking rules.\n\n" + second)
    spans = [(text.index(first), text.index(first) + len(first)),
             (text.index(second), len(text))]
    assert guess_product(text, spans[1], spans) == "Zephyr Drive Kit"
    # counted as editorial text, the first passage's mention would hide it
    assert guess_product(text, spans[1], spans[1:]) == "Harbor Gear"
