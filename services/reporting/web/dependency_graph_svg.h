#pragma once

// The inter-project dependency graph as one inline SVG: a box per project,
// an arrow per (predecessor project, successor project) pair carrying how
// many task links it stands for. Projects are laid out in columns by the
// longest chain of projects before them, so arrows run left to right
// (a cycle between projects is cut where it closes). An arrow with a link
// at risk (the predecessor slipped) is red and dashed; every box and arrow
// has a <title> tooltip.

#include <string>

#include "services/reporting/app/consolidated_views.h"

namespace pmo::reporting {

std::string DependencyGraphSvg(const DependencyGraph& graph);

}  // namespace pmo::reporting
