//! A group application: up to [`MAX_PERSONS`] adults travelling together, applied for by one
//! account. Each person is an ordinary application (their own invitation, passport and visa, the
//! no-children rule for each); the group ties them under one confirmation and one payment of the
//! duty times the persons. The posted form is read here person by person, so one person's problem
//! stays beside that person's fields and nobody's data is lost.

use std::collections::BTreeSet;

use time::Date;

use super::application::{Applicant, Application, ApplicationForm, ApplicationStatus};
use super::problem::{Problem, Problems};

/// The most persons one group application holds.
pub const MAX_PERSONS: usize = 10;
/// The persons a new group form starts with.
pub const START_PERSONS: usize = 2;

/// The group form as posted: every person's Step 1 fields as strings (field `p{i}.{name}`, `i`
/// from 1), so a half-filled form is shown again with everything typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupForm {
    /// Each person's fields, in the order of the form.
    pub persons: Vec<ApplicationForm>,
}

/// What is wrong with a group as a whole (beside any person's fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupProblem {
    /// More than [`MAX_PERSONS`] persons.
    TooManyPersons,
    /// No person at all.
    NoPersons,
}

impl GroupProblem {
    /// A stable code for the JSON API.
    pub fn code(self) -> &'static str {
        match self {
            Self::TooManyPersons => "too_many_persons",
            Self::NoPersons => "no_persons",
        }
    }
}

/// The problems of a group form: the group's own, and each person's by field (same order as the
/// persons; an empty map for a person whose data is fine).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupProblems {
    /// A problem of the whole group.
    pub group: Option<GroupProblem>,
    /// Each person's problems, by field name.
    pub persons: Vec<Problems>,
}

impl GroupProblems {
    /// No problems for `n` persons.
    pub fn none(n: usize) -> Self {
        Self {
            group: None,
            persons: vec![Problems::new(); n],
        }
    }

    /// Whether nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.group.is_none() && self.persons.iter().all(Problems::is_empty)
    }

    /// The problems of person `i` (from 0); none for a person beyond the list.
    pub fn of(&self, i: usize) -> &Problems {
        static NONE: Problems = Problems::new();
        self.persons.get(i).unwrap_or(&NONE)
    }
}

impl GroupForm {
    /// Reads the posted pairs: `p{i}.{field}` with `i` from 1; persons whose every field is
    /// empty are dropped (blank rows of the form). At most `MAX_PERSONS + 1` persons are read, so
    /// an oversized group is named as such without reading without end.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut persons: Vec<ApplicationForm> = Vec::new();
        for (key, value) in pairs {
            let Some((index, name)) = key
                .strip_prefix('p')
                .and_then(|rest| rest.split_once('.'))
                .and_then(|(i, name)| Some((i.parse::<usize>().ok()?, name)))
            else {
                continue;
            };
            if index == 0 || index > MAX_PERSONS + 1 {
                continue;
            }
            if persons.len() < index {
                persons.resize_with(index, ApplicationForm::default);
            }
            let form = &mut persons[index - 1];
            let slot = match name {
                "invitation_number" => &mut form.invitation_number,
                "category" => &mut form.category,
                "surname" => &mut form.surname,
                "given_names" => &mut form.given_names,
                "surname_native" => &mut form.surname_native,
                "given_names_native" => &mut form.given_names_native,
                "sex" => &mut form.sex,
                "date_of_birth" => &mut form.date_of_birth,
                "citizenship" => &mut form.citizenship,
                "passport_number" => &mut form.passport_number,
                "passport_expiry" => &mut form.passport_expiry,
                "with_children" => &mut form.with_children,
                _ => continue,
            };
            value.clone_into(slot);
        }
        persons.retain(|p| p != &ApplicationForm::default());
        Self { persons }
    }

    /// Parses every person (all problems at once, each beside its person), the group's size,
    /// and that no invitation appears twice in the group.
    pub fn parse(&self, today: Date) -> Result<Vec<Applicant>, GroupProblems> {
        let mut problems = GroupProblems::none(self.persons.len());
        if self.persons.is_empty() {
            problems.group = Some(GroupProblem::NoPersons);
        } else if self.persons.len() > MAX_PERSONS {
            problems.group = Some(GroupProblem::TooManyPersons);
        }
        let mut applicants = Vec::with_capacity(self.persons.len());
        let mut invitations = BTreeSet::new();
        for (i, person) in self.persons.iter().enumerate() {
            match person.parse(today) {
                Ok(applicant) => {
                    if !invitations.insert(applicant.invitation_number.as_str().to_owned()) {
                        problems.persons[i].insert("invitation_number", Problem::InvitationUsed);
                    }
                    applicants.push(applicant);
                }
                Err(p) => problems.persons[i] = p,
            }
        }
        if problems.is_empty() {
            Ok(applicants)
        } else {
            Err(problems)
        }
    }
}

/// A stored group as its owner sees it: its persons' applications in the form's order.
#[derive(Debug, Clone)]
pub struct Group {
    /// The unguessable id in its URLs.
    pub id: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Each person's application, in the order of the form.
    pub members: Vec<Application>,
}

impl Group {
    /// Where the group stands as a whole: its least advanced person's status for the steps
    /// before payment (all move together), otherwise paid.
    pub fn status(&self) -> ApplicationStatus {
        let all = |s: ApplicationStatus| self.members.iter().all(|m| m.status == s);
        if self
            .members
            .iter()
            .any(|m| m.status == ApplicationStatus::Draft)
        {
            ApplicationStatus::Draft
        } else if all(ApplicationStatus::Submitted) {
            ApplicationStatus::Submitted
        } else if all(ApplicationStatus::Issued) {
            ApplicationStatus::Issued
        } else {
            ApplicationStatus::Paid
        }
    }
}

/// The duty of a group: each person's duty, added up in minor units (the same fee for every
/// person makes it the fee × persons). `None` on overflow, which no real fee reaches.
pub fn total_minor(fees: impl IntoIterator<Item = i64>) -> Option<i64> {
    fees.into_iter().try_fold(0i64, i64::checked_add)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn persons_are_read_by_their_number_and_blank_rows_dropped() {
        let form = GroupForm::from_pairs(&pairs(&[
            ("csrf", "x"),
            ("p1.surname", "A"),
            ("p3.surname", "C"),
            ("p2.surname", ""),
            ("p1.with_children", "no"),
            ("p0.surname", "ignored"),
            ("p99.surname", "ignored"),
        ]));
        let surnames: Vec<&str> = form.persons.iter().map(|p| p.surname.as_str()).collect();
        assert_eq!(surnames, ["A", "C"]);
        assert_eq!(form.persons[0].with_children, "no");
    }

    #[test]
    fn an_eleventh_person_is_named_as_too_many_and_each_persons_problems_stay_apart() {
        let list: Vec<(String, String)> = (1..=11)
            .map(|i| (format!("p{i}.surname"), format!("S{i}")))
            .collect();
        let form = GroupForm::from_pairs(&list);
        assert_eq!(form.persons.len(), 11);
        let today = Date::from_calendar_date(2026, time::Month::November, 30).expect("date");
        let problems = form.parse(today).expect_err("too many");
        assert_eq!(problems.group, Some(GroupProblem::TooManyPersons));
        assert_eq!(problems.persons.len(), 11);
        assert!(problems.of(10).contains_key("invitation_number"));
    }

    #[test]
    fn the_total_is_the_sum_of_the_persons_duties() {
        assert_eq!(total_minor([8000, 8000, 8000]), Some(24000));
        assert_eq!(total_minor([]), Some(0));
        assert_eq!(total_minor([i64::MAX, 1]), None);
    }
}
