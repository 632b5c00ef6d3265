using Switchboard.Testing.Fleet;

namespace Switchboard.Tests.Fleet;

public sealed class FaultSpecSpec
{
    [Fact]
    public void A_share_makes_round_share_times_count_agents_faulty_spread_evenly_over_the_fleet()
    {
        var spec = new FaultSpec(FaultMode.Stall, 0.15);
        var faulty = spec.FaultyIndices(200).ToArray();
        Assert.Equal(30, faulty.Length);
        Assert.All(faulty.Zip(faulty.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 6, 7));
        Assert.InRange(faulty[0], 0, 6); // not bunched at the end either
    }

    [Theory]
    [InlineData(0.0, 10, 0)]
    [InlineData(1.0, 10, 10)]
    [InlineData(0.5, 1, 1)]
    [InlineData(0.1, 10_000, 1_000)]
    [InlineData(0.333, 7, 2)]
    public void The_number_of_faulty_agents_is_the_rounded_share(double share, int count, int expected)
    {
        var spec = new FaultSpec(FaultMode.Garbage, share);
        Assert.Equal(expected, spec.FaultyCount(count));
        Assert.Equal(expected, spec.FaultyIndices(count).Count());
    }

    [Fact]
    public void The_same_spec_always_picks_the_same_agents()
    {
        var first = new FaultSpec(FaultMode.Reset, 0.2).FaultyIndices(50).ToArray();
        var second = new FaultSpec(FaultMode.Flap, 0.2).FaultyIndices(50).ToArray();
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_share_outside_0_to_1_is_refused_with_its_value(double share)
    {
        var error = Assert.Throws<ArgumentException>(() => new FaultSpec(FaultMode.Stall, share).Validate());
        Assert.Contains("fault share", error.Message);
    }

    [Fact]
    public void Every_mode_has_a_name_that_parses_back_and_unknown_names_do_not_parse()
    {
        Assert.Equal(10, FaultModeNames.All.Count);
        foreach (var mode in FaultModeNames.All)
        {
            Assert.True(FaultModeNames.TryParse(mode.Name(), out var parsed));
            Assert.Equal(mode, parsed);
        }

        Assert.False(FaultModeNames.TryParse("Stall", out _));
        Assert.False(FaultModeNames.TryParse("stall_mid", out _));
    }

    [Fact]
    public void Only_modes_below_TLS_are_served_by_raw_sockets()
    {
        var raw = FaultModeNames.All.Where(m => m.IsRawSocket()).Select(m => m.Name()).Order();
        Assert.Equal(["garbage", "reset", "slow", "stall", "stall-mid"], raw);
    }

    [Fact]
    public void A_stalled_flight_loses_its_last_whole_record()
    {
        byte[] flight = [.. Record(22, 90), .. Record(20, 1), .. Record(23, 40)];
        Assert.Equal(5 + 90 + 5 + 1, RawFaultAgent.WithoutLastRecord(flight));
    }

    [Fact]
    public void A_flight_of_one_record_or_no_records_loses_its_last_byte()
    {
        var one = Record(22, 100);
        Assert.Equal(one.Length - 1, RawFaultAgent.WithoutLastRecord(one));
        Assert.Equal(2, RawFaultAgent.WithoutLastRecord([1, 2, 3]));
    }

    private static byte[] Record(byte type, int length)
    {
        var record = new byte[5 + length];
        record[0] = type;
        record[1] = 3;
        record[2] = 3;
        record[3] = (byte)(length >> 8);
        record[4] = (byte)length;
        return record;
    }
}
