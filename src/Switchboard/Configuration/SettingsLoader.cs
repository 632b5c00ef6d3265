using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration;

namespace Switchboard.Configuration;

/// <summary>
/// From HOCON to <see cref="SwitchboardSettings"/>, parsed and validated once. Every problem is collected
/// (not just the first), each named by its path: <c>switchboard.endpoints[3].port: must be between 1 and
/// 65535, got 70000</c>.
/// </summary>
/// <remarks>
/// Typical use: <c>var result = SettingsLoader.ReadFile(path)</c>; then <c>result.GetValidOrThrow()</c>
/// (strict, as <c>check</c> is), or run with <c>result.Settings</c> when only endpoints are bad, logging
/// <c>result.Problems</c>. The actor system's config is
/// <c>SettingsLoader.DispatcherFragment(settings.Io).WithFallback(result.Config)</c>.
/// </remarks>
public static partial class SettingsLoader
{
    /// <summary>The Akka dispatcher the IO actors run on (defined in reference.conf).</summary>
    internal const string DispatcherId = "switchboard.io.dispatcher";

    /// <summary>Handshakes admitted per IO actor when <c>admission.max-concurrent-handshakes = 0</c> (see reference.conf).</summary>
    internal const int HandshakesPerIoActor = 64;

    /// <summary>Adaptive admission's floor per IO actor when <c>admission.adaptive.min = 0</c>.</summary>
    internal const int AdaptiveMinPerIoActor = 8;

    /// <summary>Adaptive admission's ceiling per IO actor when <c>admission.adaptive.max = 0</c>.</summary>
    internal const int AdaptiveMaxPerIoActor = 1024;

    private const string ReferenceResource = "Switchboard.reference.conf";

    /// <summary>
    /// Akka settings for a process whose main job is Switchboard (the <c>switchboard</c> CLI uses them; an
    /// embedding daemon may fall back on them): Akka's scheduler ticks every 100 ms instead of 10 ms. Its
    /// timers (handshake and connect deadlines, backoff, liveness) are all seconds long, and the tick was most
    /// of what an idle manager with thousands of quiet links spent (architecture §5).
    /// </summary>
    public static Config DaemonAkkaDefaults() => ConfigurationFactory.ParseString("akka.scheduler.tick-duration = 100ms");

    /// <summary>reference.conf, embedded in the assembly: every setting with its default.</summary>
    public static Config LoadReference()
    {
        using var stream = typeof(SettingsLoader).Assembly.GetManifestResourceStream(ReferenceResource)
            ?? throw new InvalidOperationException($"embedded resource {ReferenceResource} is missing from the Switchboard assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    /// <summary>A HOCON file as a Config (not yet merged or validated).</summary>
    /// <exception cref="SwitchboardConfigException">The file is missing or unreadable, or is not valid HOCON; the problem's path is the file.</exception>
    public static Config ParseFile(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path))
            {
                throw Single(path, "is a directory, expected a config file");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Single(path, "config file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Single(path, $"cannot read config file: {e.Message}");
        }

        return ParseString(text, path);
    }

    /// <summary>HOCON text as a Config; <paramref name="source"/> names it in problems.</summary>
    internal static Config ParseString(string hocon, string source)
    {
        // Akka's parser accepts some broken files (an unclosed '{' parses as if closed at the end of the
        // file), so brackets and quotes are checked first.
        var syntax = HoconSyntax.Check(hocon);
        if (syntax is not null)
        {
            throw Single(source, $"HOCON syntax error: {syntax}");
        }

        try
        {
            return ConfigurationFactory.ParseString(hocon);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Single(source, $"HOCON syntax error: {DescribeParserError(hocon, e)}");
        }
    }

    /// <summary>Reads and validates a config file; relative paths in it resolve against its directory.</summary>
    public static SettingsResult ReadFile(string path)
    {
        Config parsed;
        try
        {
            parsed = ParseFile(path);
        }
        catch (SwitchboardConfigException e)
        {
            return new SettingsResult(null, e.Problems, null);
        }

        return Read(parsed, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Reads and validates a config (reference.conf is merged under it here).</summary>
    /// <param name="baseDirectory">What relative paths resolve against; null = the current directory.</param>
    public static SettingsResult Read(Config config, string? baseDirectory = null)
    {
        var reference = LoadReference();
        var merged = config.WithFallback(reference);
        var problems = new List<ConfigProblem>();
        var reader = new ConfigReader(merged, string.Empty, problems);
        var files = new FileResolver(baseDirectory);

        UnknownKeys.Check(reader.Value("switchboard"), reference.GetValue("switchboard"), "switchboard", problems);
        var tls = ReadTls(reader, files);
        var io = ReadIo(reader);
        var connection = ReadConnection(reader);
        var backoff = ReadBackoff(reader);
        var admission = ReadAdmission(reader, io, connection);
        var listener = ReadListener(reader);
        var resumption = ReadResumption(reader, files);
        var metrics = ReadMetrics(reader);
        var cluster = ReadCluster(reader);
        var endpoints = EndpointReader.ReadList(merged);

        // A bad entry only loses that endpoint; a list that is not a list loses them all, so it is fatal.
        var settingsValid = problems.Count == 0 && endpoints.Problems.All(p => p.Path != EndpointReader.ListPath);
        problems.AddRange(endpoints.Problems);

        var settings = settingsValid
            ? new SwitchboardSettings(tls, endpoints.Endpoints, io, connection, backoff, admission, listener, resumption, metrics, cluster)
            : null;
        return new SettingsResult(settings, [.. problems], merged);
    }

    /// <summary>Strict: the settings, or a <see cref="SwitchboardConfigException"/> listing every problem (endpoints included).</summary>
    public static SwitchboardSettings Load(Config config, string? baseDirectory = null) =>
        Read(config, baseDirectory).GetValidOrThrow();

    /// <summary>Strict <see cref="ReadFile"/>.</summary>
    public static SwitchboardSettings LoadFile(string path) => ReadFile(path).GetValidOrThrow();

    /// <summary>0 in the file means one IO actor per processor.</summary>
    internal static int ResolveIoActors(int configured) => configured > 0 ? configured : Environment.ProcessorCount;

    /// <summary>
    /// The IO dispatcher's thread count set to the resolved actor count (one thread per IO actor), to put
    /// in front of the merged config: <c>DispatcherFragment(n).WithFallback(config)</c>.
    /// </summary>
    internal static Config DispatcherFragment(int resolvedActors)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resolvedActors, 1);
        return ConfigurationFactory.ParseString(
            $"{DispatcherId}.dedicated-thread-pool.thread-count = {resolvedActors.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <inheritdoc cref="DispatcherFragment(int)"/>
    internal static Config DispatcherFragment(IoSettings io) => DispatcherFragment(io.Actors);

    private static SwitchboardConfigException Single(string path, string message) => new([new ConfigProblem(path, message)]);

    private static string DescribeParserError(string hocon, Exception e)
    {
        // Akka's message is "Unknown token at position 55:" followed by the whole text; keep the first
        // line and say where, as an editor would.
        var first = e.Message.Split('\n', 2)[0].Trim().TrimEnd(':');
        var match = PositionPattern().Match(first);
        if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            var (line, column) = HoconSyntax.LineAndColumn(hocon, position);
            first = $"{first[..match.Index].TrimEnd()} at line {line}, column {column}{Excerpt(hocon, position)}";
        }

        return first;
    }

    /// <summary>The rest of the line from <paramref name="position"/>, so the message shows what the parser tripped on.</summary>
    private static string Excerpt(string hocon, int position)
    {
        if (position < 0 || position >= hocon.Length)
        {
            return string.Empty;
        }

        var end = hocon.IndexOf('\n', position);
        var rest = hocon[position..(end < 0 ? hocon.Length : end)].TrimEnd();
        return rest.Length == 0 ? string.Empty : $": '{(rest.Length > 40 ? rest[..40] + "..." : rest)}'";
    }

    [GeneratedRegex(@"at position (\d+)")]
    private static partial Regex PositionPattern();
}
