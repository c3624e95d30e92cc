//! Domain values that parse: once constructed, they are valid.

/// Stores a validated text newtype as plain text in either database. Stored values were
/// validated when written, so reading does not validate again: a rule tightened later must
/// not make old rows unreadable.
macro_rules! stored_as_text {
    ($name:ident) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(value: DB::ValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                Ok($name(<String as sqlx::Decode<'r, DB>>::decode(value)?))
            }
        }
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut DB::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <String as sqlx::Encode<'q, DB>>::encode_by_ref(&self.0, buf)
            }
        }
    };
}

pub mod consent;
pub mod contact;
pub mod credit_code;
pub mod duplicate;
pub mod event;
pub mod form;
pub mod graduate;
pub mod id_number;
pub mod input_schema;
pub mod labels;
pub mod notice;
pub mod offer;
pub mod organization;
pub mod outcome;
pub mod posting;
pub mod preference;
pub mod project;
pub mod registration;
pub mod report;
pub mod roster;
pub mod round;
pub mod search_words;
pub mod user;
pub mod validation;
pub mod weights;

pub use contact::{Email, Phone};
pub use credit_code::CreditCode;
pub use id_number::IdNumber;
pub use labels::{
    Benefit, Category, ConsentMethod, Destination, Education, EventKind, EventStatus, Gender, GraduateStatus,
    NoticeKind, NoticeStatus, OfferAnswer, OfferStatus, OrgKind, OrgStatus, PostingStatus, ProjectStage,
    RegistrationStatus, Role, RoundStatus,
};
pub use validation::{FieldError, FieldErrors, Input, New, Parse, Patch};
pub use weights::Weights;

/// Upper bound for monthly salaries in CNY; anything above is a typo.
pub const MAX_SALARY: i64 = 1_000_000;
