-- Hampel-type rule on the quantity: centred moving median over calendar years, deviation from it,
-- and 1.4826 x the median absolute deviation (MAD) of the deviations over the series as the robust SD.
-- Flag |d| >= k robust SD; edge years and series shorter than the window are never flagged.
-- Reference implementation and equations: analysis/trade_cleaning.py (rule "hampel");
-- the construction is the macro trade_hampel_flags, shared with the unit-value rule.
{{ trade_hampel_flags('x_quantity', var('trade_cleaning_k_hampel') | float) }}
