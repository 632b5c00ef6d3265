namespace Switchboard.Bench.Report;

/// <summary>A metric over several runs: the median is what the report quotes, min–max is the spread.</summary>
internal sealed record Spread(double Median, double Min, double Max)
{
    public static Spread? Of(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1]);
    }
}
