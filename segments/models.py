# Customer segments, personas, prioritisation and fit arrive with issue 3.
