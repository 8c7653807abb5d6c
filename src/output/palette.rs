//! The colours that tell scenarios apart, shared by the charts and the
//! report's tables: scenario `i` has one colour everywhere. Plain RGB
//! values, so that pages without charts use them too.

/// A colour as red, green and blue, 0 to 255 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// The colour in CSS notation, e.g. `#D55E00`.
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }
}

/// The Okabe–Ito palette, which people with the common colour-vision
/// deficiencies can tell apart, reordered so that the first colours are
/// the most distinct on white; yellow comes last.
pub const SCENARIO_COLORS: [Rgb; 7] = [
    Rgb(0xD5, 0x5E, 0x00), // vermillion
    Rgb(0x00, 0x72, 0xB2), // blue
    Rgb(0x00, 0x9E, 0x73), // bluish green
    Rgb(0xE6, 0x9F, 0x00), // orange
    Rgb(0xCC, 0x79, 0xA7), // reddish purple
    Rgb(0x56, 0xB4, 0xE9), // sky blue
    Rgb(0xF0, 0xE4, 0x42), // yellow
];

/// The colour of scenario `index` (its place in the scenario file); the
/// colours repeat after the seventh scenario.
pub fn scenario(index: usize) -> Rgb {
    SCENARIO_COLORS[index % SCENARIO_COLORS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_keep_their_colour_and_colours_repeat() {
        assert_eq!(scenario(0).hex(), "#D55E00");
        assert_eq!(scenario(1).hex(), "#0072B2");
        assert_eq!(scenario(6).hex(), "#F0E442");
        assert_eq!(scenario(7), scenario(0));
        let distinct: std::collections::HashSet<_> = SCENARIO_COLORS.iter().collect();
        assert_eq!(distinct.len(), SCENARIO_COLORS.len());
    }
}
