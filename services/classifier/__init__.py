"""The strikewatch classifier: a rule-based spaCy pipeline that turns articles into Classifications."""
