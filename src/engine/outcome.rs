//! What one replicate of one scenario produces: its counts, its timeline
//! and, with an area, where its UXO lie. The statistics layer records
//! these; the engine only fills them.

use super::replicate::InputDraws;

/// What one replicate of one scenario reports.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicateOutcome {
    /// Submunitions fired.
    pub submunitions: u64,
    /// Unexploded submunitions left live after the strikes (U₀).
    pub unexploded: u64,
    /// One entry per aftermath step `t = 1..steps`.
    pub timeline: Vec<StepOutcome>,
    /// Where the UXO lie, for scenarios with an area.
    pub spatial: Option<SpatialOutcome>,
    /// The uncertain inputs the replicate drew (kept for `--draws`, and
    /// so that their buffers are reused from replicate to replicate).
    pub(crate) inputs: InputDraws,
    /// What the aftermath on the map adds, for scenarios with exposure,
    /// clearance teams or maps of live UXO.
    pub map: Option<MapOutcome>,
}

/// What the aftermath on the map of one replicate reports besides the
/// timeline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapOutcome {
    /// Live UXO per cell at each mapped step: the cells holding any, with
    /// their count.
    pub live_at: Vec<Vec<(u32, u32)>>,
    /// The cells the teams searched at least once.
    pub searched_cells: Vec<u32>,
    /// The searched cells holding at least one UXO after their last search.
    pub residual_cells: Vec<u32>,
    /// Per step: live UXO in cells already searched.
    pub residual: Vec<u64>,
    /// Per step: hectares searched at least once so far.
    pub released_ha: Vec<f64>,
    /// Casualties clearance averted against the same replicate without it.
    pub casualties_averted: u64,
    /// Buffers reused from replicate to replicate.
    pub(crate) scratch: Vec<f64>,
    pub(crate) guide: Vec<u32>,
    /// The rows of the searches' finds ([`super::sampling::binomial::BinomialChance`]).
    pub(crate) finds: Vec<f64>,
    pub(crate) tallies: super::clearance::Tallies,
    pub(crate) order: Vec<u32>,
    pub(crate) arrangement: super::clearance::Arrangement,
    pub(crate) searches: Vec<super::clearance::When>,
    pub(crate) timed_searches: [Vec<super::clearance::When>; 2],
}

impl MapOutcome {
    /// Empties the figures (keeping the buffers) for `maps` mapped steps.
    pub(crate) fn reset(&mut self, maps: usize) {
        self.live_at.resize_with(maps, Vec::new);
        self.live_at.truncate(maps);
        self.live_at.iter_mut().for_each(Vec::clear);
        self.searched_cells.clear();
        self.residual_cells.clear();
        self.residual.clear();
        self.released_ha.clear();
        self.casualties_averted = 0;
    }
}

/// UXO per cell of one replicate, kept sparse: only the cells it touched
/// are listed, so clearing and recording cost nothing for empty cells.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpatialOutcome {
    /// UXO in each cell (zero outside the touched cells).
    pub counts: Vec<u32>,
    /// The first `touched` entries are the cells holding at least one UXO,
    /// in the order first hit. The buffer has one slot per cell and one
    /// spare, so that adding a UXO needs no branch: the next slot is always
    /// written, even when every cell is already listed.
    touched_cells: Vec<u32>,
    touched: usize,
    /// UXO that fell outside the area.
    pub outside: u64,
}

impl SpatialOutcome {
    /// An empty outcome over `cells` cells.
    pub fn new(cells: usize) -> Self {
        SpatialOutcome {
            counts: vec![0; cells],
            touched_cells: vec![0; cells + 1],
            ..Default::default()
        }
    }

    /// Empties the grid, at a cost proportional to the cells touched.
    pub fn clear(&mut self) {
        for &cell in &self.touched_cells[..self.touched] {
            self.counts[cell as usize] = 0;
        }
        self.touched = 0;
        self.outside = 0;
    }

    /// Counts one UXO in `cell`.
    #[inline]
    pub fn add(&mut self, cell: usize) {
        self.add_cells(&[cell as u32]);
    }

    /// Counts one UXO in each of `cells`, with the list's length held in a
    /// register.
    #[inline]
    pub fn add_cells(&mut self, cells: &[u32]) {
        let mut touched = self.touched;
        let counts = &mut self.counts[..];
        let list = &mut self.touched_cells[..];
        for &cell in cells {
            let count = &mut counts[cell as usize];
            // Always write the cell in the next slot; keep it only if it is new.
            list[touched] = cell;
            touched += usize::from(*count == 0);
            *count += 1;
        }
        self.touched = touched;
    }

    /// The cells holding at least one UXO.
    pub fn touched(&self) -> &[u32] {
        &self.touched_cells[..self.touched]
    }

    /// UXO inside the area.
    pub fn in_area(&self) -> u64 {
        self.touched()
            .iter()
            .map(|&c| u64::from(self.counts[c as usize]))
            .sum()
    }
}

/// The state after one aftermath step; all but `live` are cumulative.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepOutcome {
    /// Live UXO at the end of the step (U_t).
    pub live: u64,
    /// UXO cleared so far.
    pub cleared: u64,
    /// Encounters so far.
    pub encounters: u64,
    /// Casualties so far.
    pub casualties: u64,
}
