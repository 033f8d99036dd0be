//! Concepts: named, described, linked to statements, merged and split.

use super::*;

impl Session {
    pub(super) fn check_concepts(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::ConceptCreated {
                id,
                name,
                description,
            } => {
                new_id(ConceptId::WHAT, id.as_str(), self.concepts.contains_key(id))?;
                text("the concept's name", name, MAX_SHORT)?;
                limit("the description", description, MAX_TEXT)?;
                self.name_free(name, None)
            }
            Event::ConceptRenamed { concept, name } => {
                self.active_concept(concept)?;
                text("the concept's name", name, MAX_SHORT)?;
                self.name_free(name, Some(concept))
            }
            Event::ConceptDescribed {
                concept,
                description,
            } => {
                self.active_concept(concept)?;
                limit("the description", description, MAX_TEXT)
            }
            Event::StatementsLinked {
                concept,
                statements,
            } => {
                self.active_concept(concept)?;
                if statements.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of statements to link",
                    });
                }
                self.statements_exist(statements)
            }
            Event::StatementsUnlinked {
                concept,
                statements,
            } => {
                let c = self.active_concept(concept)?;
                if statements.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of statements to unlink",
                    });
                }
                for s in statements {
                    if !c.statements.contains(s) {
                        return Err(DomainError::Rule(format!(
                            "statement `{s}` is not linked to concept `{concept}`"
                        )));
                    }
                }
                Ok(())
            }
            Event::ConceptsMerged { concepts, into } => {
                self.active_concept(into)?;
                if concepts.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of concepts to merge",
                    });
                }
                Self::no_repeats("concept", concepts)?;
                for c in concepts {
                    if c == into {
                        return Err(DomainError::Rule(format!(
                            "concept `{c}` cannot be merged into itself"
                        )));
                    }
                    self.active_concept(c)?;
                }
                Ok(())
            }
            Event::ConceptSplit { concept, parts } => {
                let c = self.active_concept(concept)?;
                if parts.is_empty() {
                    return Err(DomainError::Empty {
                        field: "the list of new concepts",
                    });
                }
                let mut moved: Vec<&StatementId> = Vec::new();
                let mut names: Vec<&str> = Vec::new();
                for (i, part) in parts.iter().enumerate() {
                    new_id(
                        ConceptId::WHAT,
                        part.id.as_str(),
                        self.concepts.contains_key(&part.id)
                            || parts[..i].iter().any(|p| p.id == part.id),
                    )?;
                    text("the new concept's name", &part.name, MAX_SHORT)?;
                    self.name_free(&part.name, None)?;
                    if names
                        .iter()
                        .any(|n| n.trim().eq_ignore_ascii_case(part.name.trim()))
                    {
                        return Err(DomainError::Rule(format!(
                            "two new concepts are both called `{}`",
                            part.name.trim()
                        )));
                    }
                    names.push(&part.name);
                    if part.statements.is_empty() {
                        return Err(DomainError::Rule(format!(
                            "new concept `{}` takes no statements",
                            part.id
                        )));
                    }
                    for st in &part.statements {
                        if !c.statements.contains(st) {
                            return Err(DomainError::Rule(format!(
                                "statement `{st}` is not linked to concept `{concept}`"
                            )));
                        }
                        if moved.contains(&st) {
                            return Err(DomainError::Rule(format!(
                                "statement `{st}` is given to two new concepts"
                            )));
                        }
                        moved.push(st);
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub(super) fn mutate_concepts(&mut self, event: Event) {
        match event {
            Event::ConceptCreated {
                id,
                name,
                description,
            } => {
                self.concepts.insert(
                    id.clone(),
                    Concept {
                        id,
                        name,
                        description,
                        statements: Vec::new(),
                        merged_into: None,
                    },
                );
            }
            Event::ConceptRenamed { concept, name } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.name = name;
                }
            }
            Event::ConceptDescribed {
                concept,
                description,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.description = description;
                }
            }
            Event::StatementsLinked {
                concept,
                statements,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    for s in statements {
                        if !c.statements.contains(&s) {
                            c.statements.push(s);
                        }
                    }
                }
            }
            Event::StatementsUnlinked {
                concept,
                statements,
            } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements.retain(|s| !statements.contains(s));
                }
            }
            Event::ConceptsMerged { concepts, into } => {
                let mut gathered = Vec::new();
                for id in &concepts {
                    if let Some(c) = self.concepts.get_mut(id) {
                        c.merged_into = Some(into.clone());
                        gathered.extend(c.statements.iter().cloned());
                    }
                }
                if let Some(target) = self.concepts.get_mut(&into) {
                    for s in gathered {
                        if !target.statements.contains(&s) {
                            target.statements.push(s);
                        }
                    }
                }
            }
            Event::ConceptSplit { concept, parts } => {
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements
                        .retain(|s| !parts.iter().any(|p| p.statements.contains(s)));
                }
                for part in parts {
                    self.concepts.insert(
                        part.id.clone(),
                        Concept {
                            id: part.id,
                            name: part.name,
                            description: format!("split from {concept}"),
                            statements: part.statements,
                            merged_into: None,
                        },
                    );
                }
            }
            _ => {}
        }
    }
}
