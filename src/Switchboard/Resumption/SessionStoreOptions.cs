using System.Numerics;
using Switchboard.Configuration;

namespace Switchboard.Resumption;

/// <summary>The shape of one <see cref="SessionStore{TValue}"/>; <see cref="Validate"/> names the bad setting.</summary>
/// <param name="MaxBytes">Byte budget over all sub-caches; each gets an equal share.</param>
/// <param name="SubCaches">A power of two; each sub-cache has its own lock.</param>
/// <param name="MaxAge">Caps every entry's lifetime, whatever the session itself claims.</param>
/// <param name="ValuesPerKey">How many values one key may hold (client tickets per endpoint); 1 on the server.</param>
/// <param name="KeysAreRandom">
/// True when keys are random bytes (server session IDs): their first bytes are used as the hash as they are.
/// False for keys people choose (endpoint names), which are hashed with a per-process seed.
/// </param>
internal sealed record SessionStoreOptions(
    long MaxBytes,
    int SubCaches,
    TimeSpan MaxAge,
    int ValuesPerKey,
    bool KeysAreRandom)
{
    public const int MaxSubCaches = 4096;
    public const int MaxValuesPerKey = 64;

    /// <summary>Smallest share one sub-cache may have: room for a few ~1 KB sessions at least.</summary>
    public const long MinBytesPerSubCache = 4096;

    /// <summary>The TLS 1.2 session-ID cache: random IDs, one session each; a fixed size even under auto.</summary>
    public static SessionStoreOptions ForServer(ResumptionSettings settings) =>
        new(settings.MaxBytes ?? ResumptionBudget.ServerBytes, settings.SubCaches, settings.MaxAge, 1, KeysAreRandom: true);

    /// <summary>The client's ticket shelf: endpoint names, up to <c>TicketsPerEndpoint</c> each; auto starts at the floor.</summary>
    public static SessionStoreOptions ForClient(ResumptionSettings settings) =>
        new(settings.MaxBytes ?? ResumptionBudget.Floor(settings.SubCaches), settings.SubCaches, settings.MaxAge, settings.TicketsPerEndpoint, KeysAreRandom: false);

    public void Validate()
    {
        if (SubCaches < 1 || SubCaches > MaxSubCaches || !BitOperations.IsPow2(SubCaches))
        {
            throw new ArgumentException(
                $"resumption sub-caches must be a power of two between 1 and {MaxSubCaches}, not {SubCaches}", nameof(SubCaches));
        }

        if (MaxBytes / SubCaches < MinBytesPerSubCache)
        {
            throw new ArgumentException(
                $"resumption max-bytes {MaxBytes} leaves less than {MinBytesPerSubCache} bytes to each of {SubCaches} sub-caches",
                nameof(MaxBytes));
        }

        if (MaxAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"resumption max-age must be positive, not {MaxAge}", nameof(MaxAge));
        }

        if (ValuesPerKey < 1 || ValuesPerKey > MaxValuesPerKey)
        {
            throw new ArgumentException(
                $"resumption tickets-per-endpoint must be between 1 and {MaxValuesPerKey}, not {ValuesPerKey}", nameof(ValuesPerKey));
        }
    }
}
