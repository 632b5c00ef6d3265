namespace Switchboard.Testing.Fleet;

/// <summary>
/// Which agents of a fleet misbehave, and how. The faulty ones are spread evenly over the fleet
/// (Bresenham: agent i is faulty when ⌊(i+1)·F/N⌋ &gt; ⌊i·F/N⌋, F = round(share·N)), so a share of 0.1
/// makes every tenth agent faulty rather than the first tenth: faults then land on every IO actor and
/// in every part of an admission queue, as they would in the field.
/// </summary>
/// <param name="Mode">How the faulty agents misbehave.</param>
/// <param name="Share">Share of the fleet that misbehaves, 0..1.</param>
/// <param name="FlapEvery">Mean time between link drops of a flapping agent (each drop jittered ±50 %).</param>
public sealed record FaultSpec(FaultMode Mode, double Share = 1.0, TimeSpan? FlapEvery = null)
{
    public static readonly TimeSpan DefaultFlapEvery = TimeSpan.FromSeconds(3);

    /// <summary>How long a slow agent waits between two bytes.</summary>
    public static readonly TimeSpan SlowByteInterval = TimeSpan.FromMilliseconds(200);

    public TimeSpan FlapPeriod => FlapEvery ?? DefaultFlapEvery;

    public static int FaultyCount(double share, int count) =>
        (int)Math.Clamp(Math.Round(share * count, MidpointRounding.AwayFromZero), 0, count);

    public int FaultyCount(int count) => FaultyCount(Share, count);

    public bool IsFaulty(int index, int count)
    {
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"agent {index} is not in a fleet of {count}");
        }

        var faulty = (long)FaultyCount(count);
        return (index + 1) * faulty / count > index * faulty / count;
    }

    public IEnumerable<int> FaultyIndices(int count) => Enumerable.Range(0, count).Where(i => IsFaulty(i, count));

    /// <exception cref="ArgumentException">Share outside 0..1 or a flap period that is not positive.</exception>
    public void Validate()
    {
        if (double.IsNaN(Share) || Share < 0 || Share > 1)
        {
            throw new ArgumentException($"fault share must be between 0 and 1, not {Share}");
        }

        if (FlapEvery is { } every && every <= TimeSpan.Zero)
        {
            throw new ArgumentException($"flap period must be positive, not {every}");
        }
    }

    public override string ToString() => $"{Mode.Name()} (share {Share:0.###})";
}
