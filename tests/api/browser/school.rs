//! Browser journeys of a school's teacher.
