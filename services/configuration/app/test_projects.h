#pragma once

// For the configuration service's app tests: a project directory that knows
// portfolio "pf-1" with programme "prog-1" holding projects "erp" and "crm",
// as the projects service's events would tell it.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/projectdirectory/project_directory.h"
#include "libs/projectdirectory/testing/directory_feed.h"

namespace pmo::configuration {

inline std::unique_ptr<projectdirectory::ProjectDirectory> KnownTestProjects(
    const std::string& path) {
  auto directory = projectdirectory::ProjectDirectory::Open(path);
  EXPECT_TRUE(directory.ok()) << directory.status();
  if (!directory.ok()) return nullptr;
  projectdirectory::testing::DirectoryFeed feed(**directory);
  EXPECT_TRUE(feed.Portfolio("pf-1", "PF1").ok());
  EXPECT_TRUE(feed.Programme("prog-1", "pf-1").ok());
  EXPECT_TRUE(feed.Project("erp", "ERP", "prog-1").ok());
  EXPECT_TRUE(feed.Project("crm", "CRM", "prog-1").ok());
  return *std::move(directory);
}

}  // namespace pmo::configuration
