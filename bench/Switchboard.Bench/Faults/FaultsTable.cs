using System.Globalization;
using System.Text;

namespace Switchboard.Bench.Faults;

/// <summary>The Markdown table the README's Reliability section quotes, with what the run was under it.</summary>
internal static class FaultsTable
{
    public static string Render(FaultsReport report)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Fault matrix: {report.Endpoints:N0} endpoints, {report.FaultShare:P0} faulty per mode, messages over {report.WindowSeconds:0} s ({report.Started.UtcDateTime:yyyy-MM-dd HH:mm} UTC).");
        text.AppendLine();
        text.AppendLine("| mode | endpoints | healthy connected | faulty with named cause | stuck | healthy links lost | healthy handshake timeouts | sent | delivered | duplicates | SendFailed | lost | settled in | result |");
        text.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var row in report.Rows)
        {
            var settle = row.Settled ? $"{row.SettleSeconds:0.0} s" : "no";
            var result = row.Passed ? "ok" : "**MISSED**: " + string.Join("; ", row.Missed);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Mode} | {row.Endpoints:N0} | {row.HealthyConnected:N0}/{row.Healthy:N0} | {row.FaultyWithCause:N0}/{row.Faulty:N0} `{string.Join("`/`", row.ExpectedCauses)}` | {row.Stuck} | {row.HealthyLinksLost} | {row.HealthyHandshakeTimeouts} | {row.Sent:N0} | {row.Delivered:N0} | {row.Duplicates:N0} | {row.SendFailed:N0} | {row.Lost:N0} | {settle} | {result} |");
        }

        text.AppendLine();
        foreach (var note in report.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `{report.Command}`; machine: {report.Machine.Cpu}, {report.Machine.Cores} cores.");
        return text.ToString();
    }
}
