-- Unit-value rule: the Hampel construction on the log unit value ln(v / q), which a quantity error moves
-- while a genuine change in trade (v and q together) leaves alone. Flagged quantities are interpolated.
-- Reference implementation and equations: analysis/trade_cleaning.py (rule "unit_value");
-- the construction is the macro trade_hampel_flags, shared with the Hampel rule.
{{ trade_hampel_flags('x_unit_value', var('trade_cleaning_k_unit_value') | float) }}
