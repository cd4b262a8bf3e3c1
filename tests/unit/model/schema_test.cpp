// One schema per table: positions from the column lists, attribute columns,
// and a column declared twice is an error.
#include "sim/model/schema.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/model/spec.hpp"
#include "sim/model/table_batch.hpp"

using namespace tsim::model;

TEST(Schema, HandlesPointAtTheirColumns) {
  const auto persons = TableSchema::from(TableId::persons, columns::kPersons);
  EXPECT_EQ(persons.columns()[cols::persons::exit_day.index].name, "exit_day");
  EXPECT_EQ(persons.columns()[cols::persons::exit_day.index].type, ColumnType::float64);
  EXPECT_EQ(persons.columns()[cols::persons::route.index].role, ColumnRole::route);
  const auto census = TableSchema::from(TableId::census, columns::kCensus);
  EXPECT_EQ(census.columns()[cols::census::headcount.index].name, "headcount");
  EXPECT_EQ(*census.find("fte"), cols::census::fte.index);
}

TEST(Schema, DeclaringAColumnTwiceThrows) {
  auto t = TableSchema::from(TableId::census, columns::kCensus);
  EXPECT_THROW(t.add({"fte", ColumnType::int32, ColumnRole::attribute}), SchemaError);
  EXPECT_THROW(TableSchema(TableId::events, {{"day", ColumnType::float64, ColumnRole::day},
                                             {"day", ColumnType::float64, ColumnRole::day}}),
               SchemaError);
}

TEST(Schema, ARunAddsAttributeColumns) {
  ScenarioSpec spec;
  spec.attributes.push_back({"sex", 0, {"F", "M"}, {}});
  spec.attributes.push_back({"region", 0, {"N", "S"}, {}});
  spec.census.by = {1, kRouteAttribute};
  const auto s = RunSchema::for_scenario(spec);
  ASSERT_EQ(s.census.columns().size(), columns::kCensus.size() + 2);
  EXPECT_EQ(s.census.columns()[5].name, "region");
  EXPECT_EQ(s.census.columns()[5].role, ColumnRole::attribute);
  EXPECT_EQ(s.census.columns()[6].name, "route");
  EXPECT_EQ(s.flows.columns().size(), columns::kFlows.size() + 2);
  ASSERT_EQ(s.persons.columns().size(), columns::kPersons.size() + 2);
  EXPECT_EQ(s.persons.columns()[columns::kPersons.size()].name, "sex");
  EXPECT_EQ(dictionary_of(ColumnRole::attribute, "sex"), "/dictionary/attributes/sex");
  spec.attributes.push_back({"fte", 0, {"x"}, {}});  // the loader refuses this; the schema must too
  EXPECT_THROW((void)RunSchema::for_scenario(spec), SchemaError);
}

TEST(TableBatch, AppendsOnlyItsOwnSchemaAndEqualLengths) {
  const auto pools = TableSchema::from(TableId::pools, columns::kPools);
  const auto events = TableSchema::from(TableId::events, columns::kEvents);
  TableBatch a(pools), b(pools), other(events);
  b[cols::pools::pool].push_back(1);
  EXPECT_THROW(a.append(b), SchemaError);  // columns of different lengths
  EXPECT_THROW(a.append(other), SchemaError);
  b.clear();
  b[cols::pools::pool].push_back(1);
  b[cols::pools::period].push_back(0);
  for (auto c : {cols::pools::capacity, cols::pools::in_use, cols::pools::queue_length, cols::pools::granted}) b[c].push_back(2);
  b[cols::pools::mean_wait_days].push_back(std::nan(""));
  b[cols::pools::max_wait_days].push_back(std::nan(""));
  b[cols::pools::slot_days_in_use].push_back(20);
  b[cols::pools::slot_days_available].push_back(40);
  ASSERT_TRUE(b.consistent());
  a.append(b);
  a.append(b);
  EXPECT_EQ(a.size(), 2u);
  TableBatch c(pools);
  c.append(b);
  c.append(b);
  EXPECT_TRUE(a == c);  // NaN equals NaN here
}
