//! The text the structured readers (Word, OpenDocument, web pages) write:
//! one line a paragraph, heading or list item, and a table row as one line
//! with its cells separated by tabs. A tab means a cell boundary and nothing
//! else: a tab inside a paragraph is written as a space. The cleaner keeps
//! the tabs, the index reads them as spaces, and the item page shows a run
//! of such lines as a table.
//!
//! A table inside a table's cell is a layout (web pages are built of them):
//! the outer rows then pass their text on line by line, and only the
//! innermost rows are rows.

use super::ReadError;

/// A table row being read: its finished cells and the paragraphs of the open one.
#[derive(Default)]
struct Row {
    cells: Vec<String>,
    cell: Vec<String>,
    /// It holds a table: its text is written as lines, not as a row.
    layout: bool,
}

/// The lines written so far, with the open table rows, under a length bound.
pub(super) struct Lines {
    out: String,
    rows: Vec<Row>,
    /// Bytes of text the open rows hold (counted as they come, so that a
    /// check does not walk a long row again).
    held: usize,
    max: usize,
}

impl Lines {
    pub fn new(max: usize) -> Lines {
        Lines { out: String::new(), rows: vec![], held: 0, max }
    }

    /// The bound on the text's length.
    pub fn max(&self) -> usize {
        self.max
    }

    /// A finished paragraph: a line of its own, or part of the open cell.
    /// Its tabs and line breaks inside a cell become spaces.
    pub fn line(&mut self, text: &str) -> Result<(), ReadError> {
        match self.rows.last_mut() {
            Some(row) if !row.layout => {
                let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if !t.is_empty() {
                    self.held += t.len();
                    row.cell.push(t);
                }
            }
            _ => {
                let t = text.trim_matches(|c: char| c.is_whitespace() && c != '\n').replace('\t', " ");
                self.out.push_str(&t);
                self.out.push('\n');
            }
        }
        self.check(0)
    }

    /// Text another `Lines` wrote (a page header's), as it is.
    pub fn append(&mut self, text: &str) -> Result<(), ReadError> {
        for l in text.lines() {
            self.line_through(l)?;
        }
        Ok(())
    }

    /// A row opens. Inside an open row, that row (and every row around it)
    /// is a layout: what it held so far is written as lines.
    pub fn open_row(&mut self) -> Result<(), ReadError> {
        if self.rows.last().is_some_and(|r| !r.layout) {
            for k in 0..self.rows.len() {
                if self.rows[k].layout {
                    continue;
                }
                let row = std::mem::replace(&mut self.rows[k], Row { layout: true, ..Row::default() });
                for p in row.cells.iter().chain(row.cell.iter()) {
                    self.held -= p.len();
                    self.out.push_str(p);
                    self.out.push('\n');
                }
            }
        }
        self.rows.push(Row::default());
        self.check(0)
    }

    /// The open cell ends.
    pub fn close_cell(&mut self) {
        if let Some(row) = self.rows.last_mut().filter(|r| !r.layout) {
            let parts = std::mem::take(&mut row.cell);
            let cell = parts.join(" ");
            // The spaces joining the cell's paragraphs are held text too.
            self.held += cell.len() - parts.iter().map(String::len).sum::<usize>();
            row.cells.push(cell);
        }
    }

    /// The open row ends: a line of its cells. A row of one filled cell is
    /// that cell's line; a row of empty cells is none.
    pub fn close_row(&mut self) -> Result<(), ReadError> {
        let Some(mut row) = self.rows.pop() else { return Ok(()) };
        if row.layout {
            return Ok(());
        }
        self.held -= row.cells.iter().chain(row.cell.iter()).map(String::len).sum::<usize>();
        if !row.cell.is_empty() {
            row.cells.push(std::mem::take(&mut row.cell).join(" "));
        }
        while row.cells.last().is_some_and(|c| c.is_empty()) {
            row.cells.pop();
        }
        let filled = row.cells.iter().filter(|c| !c.is_empty()).count();
        let line = match filled {
            0 => return Ok(()),
            1 => row.cells.into_iter().find(|c| !c.is_empty()).unwrap_or_default(),
            _ => row.cells.join("\t"),
        };
        self.line_through(&line)
    }

    /// A row's line goes into the open cell around it, if any, as it is.
    fn line_through(&mut self, line: &str) -> Result<(), ReadError> {
        match self.rows.last_mut() {
            Some(row) if !row.layout => {
                self.held += line.len();
                row.cell.push(line.to_string());
            }
            _ => {
                self.out.push_str(line);
                self.out.push('\n');
            }
        }
        self.check(0)
    }

    /// Fails when the text, with `pending` bytes not yet written, is past the bound.
    pub fn check(&self, pending: usize) -> Result<(), ReadError> {
        if self.out.len() + self.held + pending > self.max {
            return Err(ReadError::TextTooLong(self.max as u64 / (1024 * 1024)));
        }
        Ok(())
    }

    /// The text, with rows left open closed.
    pub fn finish(mut self) -> Result<String, ReadError> {
        while !self.rows.is_empty() {
            self.close_cell();
            self.close_row()?;
        }
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_is_its_cells_between_tabs() {
        let mut l = Lines::new(1 << 20);
        l.line("Dagsorden").unwrap();
        l.open_row().unwrap();
        l.line("Punkt\t1").unwrap();
        l.close_cell();
        l.line("Godkendelse").unwrap();
        l.line("af dagsorden").unwrap();
        l.close_cell();
        l.close_row().unwrap();
        assert_eq!(l.finish().unwrap(), "Dagsorden\nPunkt 1\tGodkendelse af dagsorden\n");
    }

    #[test]
    fn a_table_inside_a_cell_makes_the_outer_rows_lines() {
        let mut l = Lines::new(1 << 20);
        l.open_row().unwrap();
        l.line("Menu").unwrap();
        l.close_cell();
        l.line("Referat").unwrap();
        l.open_row().unwrap();
        l.line("1.").unwrap();
        l.close_cell();
        l.line("Godkendelse af dagsorden").unwrap();
        l.close_cell();
        l.close_row().unwrap();
        l.open_row().unwrap();
        l.line("Ingen").unwrap();
        l.close_cell();
        l.close_cell();
        l.close_row().unwrap();
        l.close_cell();
        l.close_row().unwrap();
        assert_eq!(l.finish().unwrap(), "Menu\nReferat\n1.\tGodkendelse af dagsorden\nIngen\n");
    }

    /// What the open rows hold, counted the long way.
    fn recount(l: &Lines) -> usize {
        l.rows.iter().map(|r| r.cells.iter().chain(r.cell.iter()).map(String::len).sum::<usize>()).sum()
    }

    #[test]
    fn the_held_count_follows_the_rows() {
        let mut l = Lines::new(1 << 20);
        let steps: [&dyn Fn(&mut Lines); 9] = [
            &|l| l.open_row().unwrap(),
            &|l| l.line("Kommune og region").unwrap(),
            &|l| l.line("anden linje").unwrap(),
            &|l| l.close_cell(),
            &|l| l.line("Randers").unwrap(),
            &|l| l.open_row().unwrap(),
            &|l| l.line("indre celle").unwrap(),
            &|l| l.close_cell(),
            &|l| l.close_row().unwrap(),
        ];
        for step in steps {
            step(&mut l);
            assert_eq!(l.held, recount(&l));
        }
        l.close_cell();
        l.close_row().unwrap();
        assert_eq!((l.held, recount(&l)), (0, 0));
    }

    #[test]
    fn text_past_the_bound_is_refused() {
        let mut l = Lines::new(10);
        assert!(l.line("kort").is_ok());
        assert!(matches!(l.line("alt for lang en linje"), Err(ReadError::TextTooLong(_))));
    }
}
