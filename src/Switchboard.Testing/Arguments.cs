using System.Globalization;

namespace Switchboard.Testing;

/// <summary><c>--name value</c> and <c>--flag</c> options; anything else is a usage error.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _options;
    private readonly HashSet<string> _read = [];

    private Arguments(Dictionary<string, string?> options) => _options = options;

    public static Arguments Parse(string[] args)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            string? value = null;
            if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (!options.TryAdd(arg[2..], value))
            {
                throw new UsageException($"option '{arg}' given twice");
            }
        }

        return new Arguments(options);
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"missing --{name}");

    public string? Optional(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new UsageException($"--{name} needs a value");
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        if (!_options.TryGetValue(name, out var value))
        {
            return false;
        }

        return value is null ? true : throw new UsageException($"--{name} takes no value");
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be an integer between {min} and {max}, not '{text}'");
        }

        return value;
    }

    public double Double(string name, double fallback, double min, double max)
    {
        var text = Optional(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"--{name} must be a number between {min} and {max}, not '{text}'");
        }

        return value;
    }

    /// <summary>Call after reading every option: an option the command does not know is a usage error.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new UsageException($"unknown option '--{name}'");
            }
        }
    }
}
