using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Bench.Report;

/// <summary>One JSON style for plans, worker results and the report: snake_case, indented, NaN-free.</summary>
internal static class StormJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
