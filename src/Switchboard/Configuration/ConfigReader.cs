using System.Globalization;
using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Switchboard.Configuration;

/// <summary>
/// Typed reads from one HOCON object that never throw: a value of the wrong type or out of range is
/// recorded as a <see cref="ConfigProblem"/> and a placeholder returned, so every problem of a config
/// is found in one pass. Akka's getters throw FormatException without naming the key, or return 0 for
/// a missing one; this is the layer that names the path.
/// </summary>
internal sealed class ConfigReader
{
    private readonly Config _config;
    private readonly string _prefix;
    private readonly List<ConfigProblem> _problems;

    /// <param name="prefix">How paths are shown in problems, e.g. <c>switchboard.endpoints[3]</c>; keys are read relative to <paramref name="config"/>.</param>
    public ConfigReader(Config config, string prefix, List<ConfigProblem> problems)
    {
        _config = config;
        _prefix = prefix;
        _problems = problems;
    }

    public int ProblemCount => _problems.Count;

    public string PathOf(string key) => _prefix.Length == 0 ? key : $"{_prefix}.{key}";

    public void Problem(string key, string message) => _problems.Add(new ConfigProblem(PathOf(key), message));

    /// <summary>The value's text, or null (with a problem recorded) if it is absent, an object or a list.</summary>
    public string? Text(string key, bool required = true)
    {
        var value = Value(key);
        if (value is null || value.IsEmpty)
        {
            // Under a section replaced by a scalar (`io = 4`) every key is absent; that section is
            // reported once, as not an object, rather than each key as missing.
            if (required && !UnderScalar(key))
            {
                Problem(key, "required");
            }

            return null;
        }

        if (value.IsObject())
        {
            Problem(key, "must be a single value, got an object");
            return null;
        }

        if (value.IsArray())
        {
            Problem(key, "must be a single value, got a list");
            return null;
        }

        return value.GetString() ?? (required ? Missing(key) : null);
    }

    public string String(string key) => Text(key) ?? string.Empty;

    public int Int(string key, int min, int max)
    {
        var text = Text(key);
        if (text is null)
        {
            return min;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Problem(key, $"must be an integer, got '{text}'");
            return min;
        }

        return (int)InRange(key, value, min, max, value.ToString(CultureInfo.InvariantCulture));
    }

    public double Double(string key, double min, double max)
    {
        var text = Text(key);
        if (text is null)
        {
            return min;
        }

        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Problem(key, $"must be a number, got '{text}'");
            return min;
        }

        if (value < min || value > max)
        {
            Problem(key, $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {text.Trim()}");
            return min;
        }

        return value;
    }

    public bool Bool(string key)
    {
        var text = Text(key);
        switch (text?.Trim().ToLowerInvariant())
        {
            case null:
                return false;
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                return false;
            default:
                Problem(key, $"must be on or off (true/false, yes/no), got '{text}'");
                return false;
        }
    }

    /// <summary>A HOCON size (<c>16 KiB</c>, <c>1 MiB</c>, bare bytes) within [min, max] bytes.</summary>
    public long Size(string key, long min, long max)
    {
        var text = Text(key);
        if (text is null)
        {
            return min;
        }

        long? bytes;
        try
        {
            bytes = Value(key)!.GetByteSize();
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            bytes = null;
        }

        if (bytes is null)
        {
            Problem(key, $"must be a size such as 16 KiB or 1 MiB, got '{text}'");
            return min;
        }

        return InRange(key, bytes.Value, min, max, Sizes.Format(bytes.Value), Sizes.Format);
    }

    /// <summary><c>auto</c> (null) or a HOCON size within [min, max] bytes.</summary>
    public long? SizeOrAuto(string key, long min, long max)
    {
        var text = Text(key);
        if (text is not null && string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var before = ProblemCount;
        var bytes = Size(key, min, max);
        if (ProblemCount != before && text is not null && !char.IsAsciiDigit(text.Trim().FirstOrDefault()))
        {
            // The size message alone would not say that auto is also a valid value.
            _problems[^1] = _problems[^1] with { Message = $"must be auto or a size such as 16 MiB, got '{text}'" };
        }

        return bytes;
    }

    /// <summary>A HOCON duration (<c>500ms</c>, <c>15s</c>, <c>2h</c>) that must be positive and at most <paramref name="max"/>.</summary>
    public TimeSpan Duration(string key, TimeSpan max)
    {
        var text = Text(key);
        if (text is null)
        {
            return TimeSpan.Zero;
        }

        TimeSpan value;
        try
        {
            value = Value(key)!.GetTimeSpan(allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
        {
            Problem(key, $"must be a duration such as 500ms, 15s or 2h, got '{text}'");
            return TimeSpan.Zero;
        }

        if (value <= TimeSpan.Zero)
        {
            Problem(key, $"must be > 0, got '{text}'");
            return TimeSpan.Zero;
        }

        if (value > max)
        {
            Problem(key, $"must be at most {Durations.Format(max)}, got '{text}'");
            return TimeSpan.Zero;
        }

        return value;
    }

    /// <summary>The raw value at <paramref name="key"/>, or null if absent.</summary>
    public HoconValue? Value(string key)
    {
        try
        {
            return _config.HasPath(key) ? _config.GetValue(key) : null;
        }
        catch (Exception e) when (e is ConfigurationException or InvalidOperationException or ArgumentException)
        {
            // Akka throws when a path runs through a scalar (`io = 5` then `io.actors`).
            return null;
        }
    }

    private bool UnderScalar(string key)
    {
        for (var dot = key.LastIndexOf('.'); dot > 0; dot = key.LastIndexOf('.', dot - 1))
        {
            var parent = Value(key[..dot]);
            if (parent is not null && !parent.IsObject())
            {
                return true;
            }
        }

        return false;
    }

    private string? Missing(string key)
    {
        Problem(key, "required");
        return null;
    }

    private long InRange(string key, long value, long min, long max, string shown, Func<long, string>? format = null)
    {
        format ??= v => v.ToString(CultureInfo.InvariantCulture);
        if (value >= min && value <= max)
        {
            return value;
        }

        Problem(key, max == long.MaxValue || max == int.MaxValue
            ? $"must be >= {format(min)}, got {shown}"
            : $"must be between {format(min)} and {format(max)}, got {shown}");
        return min;
    }
}
