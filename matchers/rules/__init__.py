"""Context rules: what moves a score once a technique found a name (compatibility wording, the goods,
price, category, an authorised seller; GI provenance; old-brand heritage)."""
