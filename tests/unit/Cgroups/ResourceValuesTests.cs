using OciRuntime;
using OciRuntime.Cgroups;
using OciRuntime.Config;

namespace OciRuntime.Tests.Unit.Cgroups;

/// <summary>The value conversions shared by both hierarchies, checked against runc's numbers.</summary>
public sealed class ResourceValuesTests
{
    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(2UL, 1UL)]
    [InlineData(3UL, 2UL)]
    [InlineData(512UL, 59UL)]
    [InlineData(1024UL, 100UL)]
    [InlineData(2048UL, 174UL)]
    [InlineData(262144UL, 10000UL)]
    [InlineData(1_000_000UL, 10000UL)]
    public void Cpu_shares_convert_to_weight_with_runcs_quadratic(ulong shares, ulong weight) =>
        ResourceValues.SharesToWeight(shares).Should().Be(weight);

    [Theory]
    [InlineData(10, 1UL)]
    [InlineData(500, 4950UL)]
    [InlineData(1000, 10000UL)]
    public void Blkio_weight_converts_linearly_to_io_weight(ushort weight, ulong ioWeight) =>
        ResourceValues.BlkioToIoWeight(weight).Should().Be(ioWeight);

    [Theory]
    [InlineData(-1L, "max")]
    [InlineData(-5L, "max")]
    [InlineData(0L, "0")]
    [InlineData(42L, "42")]
    public void Pids_limit_keeps_zero_and_maps_negative_to_max(long limit, string expected) =>
        ResourceValues.PidsMax(limit).Should().Be(expected);

    [Theory]
    [InlineData(300L, 100L, "200")]
    [InlineData(100L, 100L, "0")]
    [InlineData(-1L, 100L, "max")]
    [InlineData(null, -1L, "max")]
    [InlineData(500L, -1L, "500")]
    [InlineData(null, 100L, null)]
    [InlineData(0L, 100L, null)]
    public void V2_swap_is_the_spec_total_minus_the_memory_limit(long? swap, long? limit, string? expected) =>
        ResourceValues.SwapMax(swap, limit).Should().Be(expected);

    [Theory]
    [InlineData(300L, null, "without a memory limit")]
    [InlineData(50L, 100L, "must be at least")]
    public void V2_swap_that_cannot_be_computed_is_an_error(long swap, long? limit, string message) =>
        FluentActions.Invoking(() => ResourceValues.SwapMax(swap, limit)).Should().Throw<RuntimeError>().WithMessage($"*{message}*");

    [Fact]
    public void Rdma_line_lists_only_the_given_limits()
    {
        ResourceValues.RdmaLine("mlx5_1", new RdmaResources { HcaHandles = 3, HcaObjects = 10000 }).Should().Be("mlx5_1 hca_handle=3 hca_object=10000");
        ResourceValues.RdmaLine("rxe3", new RdmaResources { HcaObjects = 7 }).Should().Be("rxe3 hca_object=7");
    }

    [Fact]
    public void Check_before_update_refuses_a_limit_below_the_usage()
    {
        FluentActions.Invoking(() => ResourceValues.CheckLimitAboveUsage(1000, 5000)).Should().Throw<RuntimeError>().WithMessage("*below the current usage 5000*");
        FluentActions.Invoking(() => ResourceValues.CheckLimitAboveUsage(10000, 5000)).Should().NotThrow();
        FluentActions.Invoking(() => ResourceValues.CheckLimitAboveUsage(-1, 5000)).Should().NotThrow();
    }

    [Theory]
    [InlineData(2048UL, "2MB")]
    [InlineData(1048576UL, "1GB")]
    [InlineData(64UL, "64KB")]
    public void Hugepage_sizes_are_named_like_the_hugetlb_files(ulong kilobytes, string name) =>
        HugepageSizes.Name(kilobytes).Should().Be(name);

    [Fact]
    public void Cpu_lists_expand_ranges() =>
        CpuList.Parse("0-3,7\n").Should().Equal(0, 1, 2, 3, 7);

    [Theory]
    [InlineData("memory.high", true)]
    [InlineData("hugetlb.1GB.max", true)]
    [InlineData("io.max", true)]
    [InlineData("cgroup.max.descendants", true)]
    [InlineData("../memory.max", false)]
    [InlineData("memory/../../x", false)]
    [InlineData("memory", false)]
    [InlineData(".memory.max", false)]
    [InlineData("cgroup.procs", false)]
    [InlineData("cgroup.threads", false)]
    public void Unified_keys_must_be_interface_file_names(string key, bool valid) =>
        (UnifiedKeys.Problem(key) is null).Should().Be(valid);
}
