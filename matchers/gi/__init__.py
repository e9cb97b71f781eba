"""Geographical indications: places in text (gazetteer, divisions), the GI word lists, origin, supply and evocation."""
