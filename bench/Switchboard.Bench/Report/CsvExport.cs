using System.Globalization;
using System.Text;
using Switchboard.Bench.Storm;

namespace Switchboard.Bench.Report;

/// <summary>Connected endpoints over time, one CSV per run, side and phase (sampled every 100 ms).</summary>
internal static class CsvExport
{
    public const string Header = "seconds,connected,handshakes,threads,rss_mib,cpu_seconds";

    public static string FileName(int endpoints, string phase, string side, int run) =>
        $"storm-{endpoints}-{phase}-{side}-run{run}.csv";

    public static string Write(string directory, int run, PhaseMeasurement measurement)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(measurement.Endpoints, measurement.Phase, measurement.Side, run));
        var text = new StringBuilder().AppendLine(Header);
        foreach (var s in measurement.Samples)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Seconds:F3},{s.Connected},{s.Handshakes},{s.Threads},{s.RssBytes / 1048576.0:F1},{s.CpuSeconds:F3}"));
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>Reads a CSV written by <see cref="Write"/> back: the plot is drawn from the files, not from memory.</summary>
    public static (double[] Seconds, double[] Connected) ReadConnected(string path)
    {
        var seconds = new List<double>();
        var connected = new List<double>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length >= 2)
            {
                seconds.Add(double.Parse(fields[0], CultureInfo.InvariantCulture));
                connected.Add(double.Parse(fields[1], CultureInfo.InvariantCulture));
            }
        }

        return ([.. seconds], [.. connected]);
    }
}
