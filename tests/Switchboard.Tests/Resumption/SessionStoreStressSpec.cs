using Switchboard.Resumption;

namespace Switchboard.Tests.Resumption;

public sealed class SessionStoreStressSpec
{
    [Fact]
    [Trait("Category", "Stress")]
    public async Task Concurrent_mixed_operations_keep_the_budget_and_the_books_balanced()
    {
        const int Tasks = 4;
        const int OperationsPerTask = 50_000;
        var evictions = 0L;
        var store = new SessionStore<byte[]>(
            new SessionStoreOptions(256 * 1024, 8, TimeSpan.FromMilliseconds(50), 3, KeysAreRandom: true),
            (_, _) => Interlocked.Increment(ref evictions));
        var overBudget = 0L;
        var taken = new long[Tasks];

        var workers = Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            var key = new byte[32];
            var value = new byte[16];
            for (var i = 0; i < OperationsPerTask; i++)
            {
                // A small key space so tasks collide on the same keys, shelves and sub-caches.
                BitConverter.TryWriteBytes(key, (uint)random.Next(2000) * 2654435761u);
                var expires = DateTime.UtcNow.AddMilliseconds(random.Next(1, 200));
                switch (random.Next(8))
                {
                    case 0:
                    case 1:
                        store.Add(key, value, random.Next(200, 2000), expires);
                        break;
                    case 2:
                        store.Put(key, value, random.Next(200, 2000), expires);
                        break;
                    case 3:
                        if (store.TryTake(key, out _))
                        {
                            taken[t]++;
                        }

                        break;
                    case 4:
                        store.Remove(key);
                        break;
                    case 5 when i % 1000 == 0:
                        store.ReapExpired();
                        break;
                    default:
                        store.TryGet(key, out _);
                        break;
                }

                if (i % 512 == 0 && store.Counters.Bytes > store.MaxBytes)
                {
                    Interlocked.Increment(ref overBudget);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        var c = store.Counters;
        Assert.Equal(0, overBudget);
        Assert.InRange(c.Bytes, 0, store.MaxBytes);
        Assert.Equal(taken.Sum(), c.Taken);
        Assert.Equal(c.Stored, c.Entries + c.Taken + c.Evicted);
        Assert.Equal(c.Evicted, Interlocked.Read(ref evictions));
        Assert.True(c.Hits > 0 && c.Misses > 0 && c.EvictedFull > 0, $"workload did not exercise the cache: {c}");

        var remaining = store.Clear();
        Assert.Equal(c.Entries, remaining);
        Assert.Equal(0, store.Counters.Bytes);
    }
}
