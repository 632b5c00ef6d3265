using System.Globalization;
using System.Text;
using Switchboard.Bench.Limit;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>One phase's CPU per handshake against OpenSSL's own client on the same certificates, in the same run.</summary>
/// <param name="FloorMode">s_time's <c>new</c> (full handshakes: cold) or <c>reuse</c> (resumed: restart, agentdrop).</param>
/// <param name="FloorCpuMs">s_time's client CPU (user + system) per connection of that kind.</param>
/// <param name="CpuMsPerHandshake">The manager's CPU over the phase per handshake it made, over runs.</param>
/// <param name="Ratio">CPU per handshake ÷ the floor, per run, over runs: 1 would be as cheap as OpenSSL's own client.</param>
internal sealed record FloorRatio(string Phase, string FloorMode, double FloorCpuMs, Spread? CpuMsPerHandshake, Spread? Ratio);

internal static class FloorComparison
{
    /// <summary>Side → phase → ratio, for the phases made of handshakes (not idle).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, FloorRatio>> Build(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, PhaseSummary>> summaries, TlsFloor floor)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, FloorRatio>>();
        foreach (var (side, phases) in summaries)
        {
            var ratios = new Dictionary<string, FloorRatio>();
            foreach (var (phase, summary) in phases)
            {
                var reference = phase switch
                {
                    StormPhases.Cold => floor.New,
                    StormPhases.Restart or StormPhases.AgentDrop => floor.Reuse,
                    _ => null,
                };
                if (reference is null || reference.ClientCpuMsPerConnection <= 0)
                {
                    continue;
                }

                var perHandshake = summary.PerRun.Where(m => m.Completed && m.Handshakes > 0).Select(m => (double?)(m.CpuSeconds * 1000 / m.Handshakes)).ToArray();
                ratios[phase] = new FloorRatio(phase, reference.Mode, reference.ClientCpuMsPerConnection,
                    Spread.Of(perHandshake), Spread.Of(perHandshake.Select(v => v / reference.ClientCpuMsPerConnection)));
            }

            result[side] = ratios;
        }

        return result;
    }

    public static void Render(StormReport report, StringBuilder text)
    {
        if (report.Floor is not { } floor || report.VersusFloor is not { Count: > 0 } sides)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"against OpenSSL's own client ({floor.OpenSsl}, s_time on the same {floor.Key} certificates, {floor.Protocol}, {floor.NewSamplesMs.Count} samples of {floor.Seconds:0} s each, in this run, {floor.SamplesBeforePhases} before the phases and {floor.NewSamplesMs.Count - floor.SamplesBeforePhases} after): " +
            $"new {floor.New.ClientCpuMsPerConnection:F3} ms ({Samples(floor.NewSamplesMs)}), reuse {floor.Reuse.ClientCpuMsPerConnection:F3} ms ({Samples(floor.ReuseSamplesMs)}) client CPU per connection, medians");
        text.AppendLine();
        text.AppendLine("| phase | side | s_time kind | s_time CPU ms/conn | manager CPU ms/handshake | ratio |");
        text.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var phase in report.Phases)
        {
            foreach (var (side, phases) in sides)
            {
                if (!phases.TryGetValue(phase, out var ratio))
                {
                    continue;
                }

                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {phase} | {side} | {ratio.FloorMode} | {ratio.FloorCpuMs:F3} | {Format(ratio.CpuMsPerHandshake, "F3", report.Runs > 1)} | {Format(ratio.Ratio, "F2", report.Runs > 1)}× |");
            }
        }
    }

    private static string Format(Spread? spread, string format, bool withSpread) =>
        spread is null ? "n/a"
        : withSpread ? $"{spread.Median.ToString(format, CultureInfo.InvariantCulture)} ({spread.Min.ToString(format, CultureInfo.InvariantCulture)}–{spread.Max.ToString(format, CultureInfo.InvariantCulture)})"
        : spread.Median.ToString(format, CultureInfo.InvariantCulture);

    private static string Samples(IReadOnlyList<double> samples) =>
        string.Join(", ", samples.Select(ms => ms.ToString("F3", CultureInfo.InvariantCulture)));
}
