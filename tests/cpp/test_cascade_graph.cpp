// The compiled cascade's graph (src/cascade/cascade_impl.hpp: detail::Graph) is a Boost.Graph
// graph of its own type whose arrays come from the model's pool: Boost's algorithms run on it,
// it holds exactly the links the cascade's in-edges hold, with their weights normalized, and its
// memory goes back to the model for the next compile; and validate's scratch goes to the
// model's pool for the first compile to take.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/topological_sort.hpp>
#include <boost/property_map/property_map.hpp>
#include <cmath>
#include <iterator>
#include <optional>
#include <tuple>
#include <vector>

#include "cascade/cascade_impl.hpp"
#include "spm/cascade.hpp"
#include "spm/generate.hpp"
#include "spm/model.hpp"
#include "spm/validate.hpp"

using namespace spm;
using detail::V;

namespace {

const Cascade::Impl& impl_of(const Cascade& c) {
  return *detail::CascadeAccess::impl(c);
}

Model generated(std::uint32_t employees) {
  GenerateOptions g;
  g.employees = employees;
  g.seed = 11;
  return generate(g);
}

}  // namespace

TEST(CascadeGraph, HoldsTheLinksOfTheInEdgesWithTheirWeightsNormalized) {
  const Model m = generated(500);
  const Cascade c = Cascade::compile(m);
  const auto& impl = impl_of(c);
  const detail::Graph& g = impl.graph;
  ASSERT_EQ(num_vertices(g), impl.n());
  ASSERT_EQ(num_edges(g), impl.in_from.size());
  EXPECT_EQ(c.edge_count(), num_edges(g));

  // Every out-edge (source, target, normalized weight), and every in-edge with its weight as
  // given divided by its target's total of input weights (its measures' and its links').
  std::vector<std::tuple<V, V, double>> out, in;
  for (V v = 0; v < num_vertices(g); ++v) {
    EXPECT_EQ(out_degree(v, g),
              static_cast<V>(std::distance(out_edges(v, g).first, out_edges(v, g).second)));
    for (auto [e, end] = out_edges(v, g); e != end; ++e) {
      EXPECT_EQ(source(*e, g), v);
      out.emplace_back(v, target(*e, g), g[*e].normalized);
    }
  }
  for (V t = 0; t < impl.n(); ++t) {
    double total = 0;
    for (V r = impl.measure_offsets[t]; r < impl.measure_offsets[t + 1]; ++r)
      total += impl.row_weight[r];
    for (V k = impl.in_offsets[t]; k < impl.in_offsets[t + 1]; ++k) total += impl.in_weight[k];
    for (V k = impl.in_offsets[t]; k < impl.in_offsets[t + 1]; ++k)
      in.emplace_back(impl.in_from[k], t, impl.in_weight[k] / total);
  }
  ASSERT_GT(out.size(), 1000u);
  std::sort(out.begin(), out.end());
  std::sort(in.begin(), in.end());
  ASSERT_EQ(out.size(), in.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(std::get<0>(out[i]), std::get<0>(in[i]));
    EXPECT_EQ(std::get<1>(out[i]), std::get<1>(in[i]));
    EXPECT_NEAR(std::get<2>(out[i]), std::get<2>(in[i]), 1e-12);
  }
}

TEST(CascadeGraph, BoostAlgorithmsRunOnIt) {
  const Model m = generated(300);
  const Cascade c = Cascade::compile(m);
  const detail::Graph& g = impl_of(c).graph;
  // A topological order from Boost's depth-first search: every contributor before what it
  // contributes to, as the cascade's own numbering has it.
  std::vector<V> order;
  std::vector<boost::default_color_type> color(num_vertices(g));
  boost::topological_sort(g, std::back_inserter(order),
                          boost::color_map(boost::make_iterator_property_map(
                              color.begin(), boost::typed_identity_property_map<V>())));
  ASSERT_EQ(order.size(), num_vertices(g));
  std::vector<V> position(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) position[order[order.size() - 1 - i]] = V(i);
  std::size_t edges = 0;
  for (V v = 0; v < num_vertices(g); ++v)
    for (auto [e, end] = out_edges(v, g); e != end; ++e, ++edges) {
      EXPECT_LT(position[v], position[target(*e, g)]);
      EXPECT_LT(v, target(*e, g));  // the cascade order too
    }
  EXPECT_EQ(edges, num_edges(g));
}

TEST(CascadeGraph, ItsArraysComeFromTheModelsPoolAndGoBackToIt) {
  // Large enough that the graph's arrays (about 8.5 links an employee) are blocks the pool keeps.
  const Model m = generated(40'000);
  m.release_memory();
  std::size_t graph_bytes = 0;
  {
    const Cascade c = Cascade::compile(m);
    const detail::Graph& g = impl_of(c).graph;
    const auto* pool = &detail::ModelAccess::impl(m).token->buffers;
    EXPECT_EQ(g.rowstart.get_allocator().pool, pool);
    EXPECT_EQ(g.column.get_allocator().pool, pool);
    EXPECT_EQ(g.props.get_allocator().pool, pool);
    graph_bytes = g.column.capacity() * sizeof(V) + g.props.capacity() * sizeof(detail::EdgeProp);
    ASSERT_GE(g.column.capacity() * sizeof(V), detail::BufferPool::min_bytes);
  }
  const std::size_t kept = m.kept_bytes();
  EXPECT_GE(kept, graph_bytes);
  // The next compile takes them again: the pool holds no more than before.
  const Cascade again = Cascade::compile(m);
  EXPECT_LE(m.kept_bytes(), kept);
  EXPECT_EQ(num_edges(impl_of(again).graph), again.edge_count());
}

TEST(CascadeGraph, TheFirstCompileTakesTheArraysValidateGaveBack) {
  // Large enough that validate's array of the objectives' links is a block the pool keeps.
  const Model validated = generated(40'000);
  const Model not_validated = validated;  // a copy: its own pool, nothing resolved
  validated.release_memory();
  ASSERT_EQ(validated.kept_bytes(), 0u);
  ASSERT_TRUE(is_valid(validate(validated)));
  const std::size_t after_validate = validated.kept_bytes();
  ASSERT_EQ(not_validated.kept_bytes(), 0u);
  {
    const Cascade c = Cascade::compile(validated);
    // Room for every link, 4 bytes each: the size of the compile's array of link targets.
    EXPECT_GE(after_validate, std::size_t{4} * c.edge_count());
    const Cascade d = Cascade::compile(not_validated);
  }
  // Both compiles gave the same scratch back; the first took validate's blocks for some of it
  // instead of new ones, so its pool holds no more than the other's.
  EXPECT_EQ(validated.kept_bytes(), not_validated.kept_bytes());
}
