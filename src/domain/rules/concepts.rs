//! Concepts: named, described, linked to statements, merged and split.

use super::*;

impl Session {
    pub(super) fn check_concepts(&self, event: &Event) -> Result<(), DomainError> {
        match event {
            Event::CodeDefined {
                code,
                name,
                description,
                facet,
            } => self.check_code(code, name, description, *facet),
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

    /// Keeps [`Session::linked`]: `concept` added to (or taken from) each of
    /// `statements`' lists, which stay in the concepts' order. A concept
    /// merged into another is never listed.
    fn index_links(&mut self, concept: &ConceptId, statements: &[StatementId], add: bool) {
        let Some(rank) = self.concepts.get_index_of(concept) else {
            return;
        };
        let active = self.concepts[rank].is_active();
        for s in statements {
            if add && active {
                let list = self.linked.entry(s.clone()).or_default();
                if !list.contains(concept) {
                    let at = list.partition_point(|c| {
                        self.concepts.get_index_of(c).is_some_and(|i| i < rank)
                    });
                    list.insert(at, concept.clone());
                }
            } else if !add && let Some(list) = self.linked.get_mut(s) {
                list.retain(|c| c != concept);
                if list.is_empty() {
                    self.linked.shift_remove(s);
                }
            }
        }
    }

    /// A code's definition: a usable tag, a name, its theme already in the
    /// codebook, a facet at the top, and room in the codebook.
    fn check_code(
        &self,
        code: &str,
        name: &str,
        description: &str,
        facet: bool,
    ) -> Result<(), DomainError> {
        if !crate::domain::statement::tag_ok(code) {
            return Err(DomainError::BadTag(code.chars().take(40).collect()));
        }
        text("the code's name", name, MAX_SHORT)?;
        limit("the code's description", description, MAX_TEXT)?;
        let parent = crate::domain::codebook::parent_of(code);
        if let Some(p) = parent
            && !self.codebook.contains_key(p)
        {
            return Err(DomainError::Rule(format!(
                "code `{code}` sits under `{p}`, which is not in the codebook; define `{p}` first"
            )));
        }
        if facet && parent.is_some() {
            return Err(DomainError::Rule(format!(
                "`{code}` cannot be a facet: a facet (such as barrier or enabler) crosses the themes, so it sits under none"
            )));
        }
        if !self.codebook.contains_key(code)
            && self.codebook.len() >= crate::domain::codebook::MAX_CODES
        {
            return Err(DomainError::Rule(format!(
                "the codebook holds at most {} codes",
                crate::domain::codebook::MAX_CODES
            )));
        }
        Ok(())
    }

    pub(super) fn mutate_concepts(&mut self, event: Event) {
        match event {
            Event::CodeDefined {
                code,
                name,
                description,
                facet,
            } => {
                self.codebook.insert(
                    code.clone(),
                    crate::domain::codebook::Code {
                        path: code,
                        name,
                        description,
                        facet,
                    },
                );
            }
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
                let mut added = Vec::new();
                if let Some(c) = self.concepts.get_mut(&concept) {
                    for s in statements {
                        if !c.statements.contains(&s) {
                            c.statements.push(s.clone());
                            added.push(s);
                        }
                    }
                }
                self.index_links(&concept, &added, true);
            }
            Event::StatementsUnlinked {
                concept,
                statements,
            } => {
                let mut removed = Vec::new();
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements.retain(|s| {
                        let stays = !statements.contains(s);
                        if !stays {
                            removed.push(s.clone());
                        }
                        stays
                    });
                }
                self.index_links(&concept, &removed, false);
            }
            Event::ConceptsMerged { concepts, into } => {
                let mut gathered = Vec::new();
                for id in &concepts {
                    if let Some(c) = self.concepts.get_mut(id) {
                        c.merged_into = Some(into.clone());
                        let theirs = c.statements.clone();
                        self.index_links(id, &theirs, false);
                        gathered.extend(theirs);
                    }
                }
                let mut added = Vec::new();
                if let Some(target) = self.concepts.get_mut(&into) {
                    for s in gathered {
                        if !target.statements.contains(&s) {
                            target.statements.push(s.clone());
                            added.push(s);
                        }
                    }
                }
                self.index_links(&into, &added, true);
            }
            Event::ConceptSplit { concept, parts } => {
                let mut moved = Vec::new();
                if let Some(c) = self.concepts.get_mut(&concept) {
                    c.statements.retain(|s| {
                        let stays = !parts.iter().any(|p| p.statements.contains(s));
                        if !stays {
                            moved.push(s.clone());
                        }
                        stays
                    });
                }
                self.index_links(&concept, &moved, false);
                for part in parts {
                    let id = part.id.clone();
                    let linked = part.statements.clone();
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
                    self.index_links(&id, &linked, true);
                }
            }
            _ => {}
        }
    }
}
