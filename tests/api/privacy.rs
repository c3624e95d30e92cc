//! No company-facing endpoint or page ever shows an ID number (or contact details).
