using System;
using System.Collections.Generic;
using System.Text;

namespace AsyncGuard.Benchmarks;

/// <summary>
/// Writes realistic async C#: one service per file (HttpClient, a store, a SemaphoreSlim, a
/// root folder), its records, its store and sometimes a background worker. Methods are drawn
/// from templates of everyday async code (cancellation tokens, loops, file/stream/HTTP I/O,
/// catch blocks, lambdas, Task.Run, WhenAll/WhenAny, LINQ); a few percent of them carry the
/// pitfalls the analyzers look for. File <c>i</c> depends only on the seed and <c>i</c>, so a
/// larger corpus starts with the files of the smaller one.
/// </summary>
internal static class CorpusGenerator
{
    /// <summary>Share of methods that carry a pitfall: low, as in code that is mostly right.</summary>
    private const double PitfallRate = 0.06;

    private static readonly string[] Entities =
    {
        "Order", "Invoice", "Customer", "Shipment", "Report", "Device", "Ticket", "Payment", "Sensor",
        "Document", "Account", "Booking", "Message", "Product", "Session", "Vehicle", "Contract", "Upload",
    };

    private static readonly string[] Verbs =
    {
        "Load", "Fetch", "Sync", "Import", "Export", "Process", "Refresh", "Archive", "Validate", "Publish",
        "Collect", "Resolve", "Merge", "Scan", "Upload", "Restore", "Index", "Prune",
    };

    public static string FilePath(int index) => $"Corpus/Module{index:D5}/{Entity(index)}Service.cs";

    private static string Entity(int index) => Entities[index % Entities.Length];

    public static string Generate(int seed, int index)
    {
        var random = new Random(unchecked(seed * 7919 + index * 104729));
        var entity = Entity(index);
        var w = new Writer();
        var names = new HashSet<string>(StringComparer.Ordinal);

        w.Line("using System;");
        w.Line("using System.Collections.Generic;");
        w.Line("using System.IO;");
        w.Line("using System.Linq;");
        w.Line("using System.Net.Http;");
        w.Line("using System.Runtime.CompilerServices;");
        w.Line("using System.Text;");
        w.Line("using System.Threading;");
        w.Line("using System.Threading.Tasks;");
        w.Line();
        w.Line($"namespace Corpus.Module{index:D5};");
        w.Line();
        w.Line($"public sealed record {entity}(int Id, string Name, decimal Amount, DateTimeOffset CreatedAt);");
        w.Line();
        w.Line($"public sealed record {entity}Batch(IReadOnlyList<{entity}> Items, string Source);");
        w.Line();
        w.Open($"public interface I{entity}Store");
        w.Line($"Task<{entity}?> FindAsync(int id, CancellationToken cancellationToken = default);");
        w.Line();
        w.Line($"Task SaveAsync({entity} item, CancellationToken cancellationToken = default);");
        w.Line();
        w.Line($"IAsyncEnumerable<{entity}> ReadAllAsync(CancellationToken cancellationToken = default);");
        w.Close();
        w.Line();
        w.Open("public interface IEventLog");
        w.Line("void Info(string message);");
        w.Line();
        w.Line("void Error(Exception exception, string message);");
        w.Close();
        w.Line();

        WriteService(w, random, entity, names);
        w.Line();
        WriteStore(w, entity);
        if (random.NextDouble() < 0.5)
        {
            w.Line();
            WriteWorker(w, random, entity);
        }

        return w.ToString();
    }

    private static void WriteService(Writer w, Random random, string entity, HashSet<string> names)
    {
        w.Line("/// <summary>Talks to the remote API, the local folder and the store.</summary>");
        w.Open($"public sealed class {entity}Service : IDisposable");
        w.Line("private readonly HttpClient _http;");
        w.Line($"private readonly I{entity}Store _store;");
        w.Line("private readonly IEventLog _log;");
        w.Line("private readonly SemaphoreSlim _gate = new(4, 4);");
        w.Line("private readonly string _root;");
        w.Line("private int _processed;");
        w.Line();
        w.Open($"public {entity}Service(HttpClient http, I{entity}Store store, IEventLog log, string root)");
        w.Line("_http = http ?? throw new ArgumentNullException(nameof(http));");
        w.Line("_store = store ?? throw new ArgumentNullException(nameof(store));");
        w.Line("_log = log ?? throw new ArgumentNullException(nameof(log));");
        w.Line("_root = root;");
        w.Close();
        w.Line();
        w.Line("public int Processed => Volatile.Read(ref _processed);");
        w.Line();
        w.Open("public async Task<int> CountAsync(CancellationToken cancellationToken)");
        w.Line("var count = 0;");
        w.Open("await foreach (var item in _store.ReadAllAsync(cancellationToken).ConfigureAwait(false))");
        w.Line("count += item.Amount > 0 ? 1 : 0;");
        w.Close();
        w.Line();
        w.Line("return count;");
        w.Close();

        var methods = random.Next(5, 10);
        for (var m = 0; m < methods; m++)
        {
            w.Line();
            var name = UniqueName(random, entity, names);
            if (random.NextDouble() < PitfallRate)
            {
                Pitfalls[random.Next(Pitfalls.Length)](w, entity, name);
            }
            else
            {
                Templates[random.Next(Templates.Length)](w, entity, name);
            }
        }

        w.Line();
        w.Line($"private static {entity} Parse{entity}(string json, int id) =>");
        w.Line($"    new {entity}(id, json.Length > 32 ? json[..32] : json, json.Length, DateTimeOffset.UtcNow);");
        w.Line();
        w.Line("public void Dispose() => _gate.Dispose();");
        w.Close();
    }

    private static string UniqueName(Random random, string entity, HashSet<string> names)
    {
        var name = Verbs[random.Next(Verbs.Length)] + entity;
        var candidate = name;
        for (var n = 2; !names.Add(candidate); n++) candidate = name + n;
        return candidate;
    }

    private static void WriteStore(Writer w, string entity)
    {
        w.Open($"internal sealed class InMemory{entity}Store : I{entity}Store");
        w.Line($"private readonly Dictionary<int, {entity}> _items = new();");
        w.Line("private readonly object _sync = new();");
        w.Line();
        w.Open($"public Task<{entity}?> FindAsync(int id, CancellationToken cancellationToken = default)");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Open("lock (_sync)");
        w.Line($"return Task.FromResult<{entity}?>(_items.TryGetValue(id, out var item) ? item : null);");
        w.Close();
        w.Close();
        w.Line();
        w.Open($"public Task SaveAsync({entity} item, CancellationToken cancellationToken = default)");
        w.Open("lock (_sync)");
        w.Line("_items[item.Id] = item;");
        w.Close();
        w.Line();
        w.Line("return Task.CompletedTask;");
        w.Close();
        w.Line();
        w.Open($"public async IAsyncEnumerable<{entity}> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)");
        w.Line($"{entity}[] snapshot;");
        w.Open("lock (_sync)");
        w.Line("snapshot = _items.Values.ToArray();");
        w.Close();
        w.Line();
        w.Open("foreach (var item in snapshot)");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("await Task.Yield();");
        w.Line("yield return item;");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void WriteWorker(Writer w, Random random, string entity)
    {
        w.Open($"public sealed class {entity}Worker");
        w.Line($"private readonly {entity}Service _service;");
        w.Line("private Task? _loop;");
        w.Line();
        w.Line($"public {entity}Worker({entity}Service service) => _service = service;");
        w.Line();
        w.Line("public void Start(CancellationToken cancellationToken) =>");
        w.Line("    _loop = Task.Run(() => RunAsync(cancellationToken), cancellationToken);");
        w.Line();
        w.Line("public Task StopAsync() => _loop ?? Task.CompletedTask;");
        w.Line();
        w.Open("private async Task RunAsync(CancellationToken cancellationToken)");
        w.Line($"using var timer = new PeriodicTimer(TimeSpan.FromSeconds({random.Next(1, 30)}));");
        w.Open("try");
        w.Open("while (await timer.WaitForNextTickAsync(cancellationToken))");
        w.Line("var count = await _service.CountAsync(cancellationToken);");
        w.Open($"if (count > {random.Next(10, 1000)})");
        w.Line("break;");
        w.Close();
        w.Close();
        w.Close();
        w.Open("catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)");
        w.Line("// Stopping is not an error.");
        w.Close();
        w.Close();
        w.Close();
    }

    private delegate void Template(Writer w, string entity, string name);

    private static readonly Template[] Templates =
    {
        ReadFile, HttpWithCatches, Gated, WhenAllOverIds, WhenAnyTimeout, CpuOnTaskRun, CopyStream,
        LinqReport, Filtered, Retry, WriteFile, Classify, CountWithCancellation, ParallelSave, Completion,
    };

    private static readonly Template[] Pitfalls =
    {
        ResultInSyncMethod, GetResultInSyncMethod, SleepInAsync, FireAndForget, AsyncVoidHandler,
        SyncIoInAsync, TokenNotForwarded, SwallowedCancellation, WaitInSyncMethod, AsyncLambdaAsAction,
    };

    private static void ReadFile(Writer w, string e, string name)
    {
        w.Open($"public async Task<string> {name}Async(string fileName, CancellationToken cancellationToken)");
        w.Line("var path = Path.Combine(_root, fileName);");
        w.Open("if (!File.Exists(path))");
        w.Line("_log.Info($\"missing {path}\");");
        w.Line("return string.Empty;");
        w.Close();
        w.Line();
        w.Line("await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);");
        w.Line("using var reader = new StreamReader(stream, Encoding.UTF8);");
        w.Line("var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);");
        w.Line("Interlocked.Increment(ref _processed);");
        w.Line("return text.Trim();");
        w.Close();
    }

    private static void HttpWithCatches(Writer w, string e, string name)
    {
        w.Open($"public async Task<{e}?> {name}Async(int id, CancellationToken cancellationToken)");
        w.Open("try");
        w.Line($"var json = await _http.GetStringAsync($\"api/{e.ToLowerInvariant()}s/{{id}}\", cancellationToken);");
        w.Line($"return Parse{e}(json, id);");
        w.Close();
        w.Open("catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)");
        w.Line("throw;");
        w.Close();
        w.Open("catch (HttpRequestException ex)");
        w.Line("_log.Error(ex, $\"request for {id} failed\");");
        w.Line("return null;");
        w.Close();
        w.Open("catch (Exception ex)");
        w.Line("_log.Error(ex, \"unexpected failure\");");
        w.Line("return null;");
        w.Close();
        w.Close();
    }

    private static void Gated(Writer w, string e, string name)
    {
        w.Open($"public async Task {name}Async({e} item, CancellationToken cancellationToken)");
        w.Line("await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);");
        w.Open("try");
        w.Line("var existing = await _store.FindAsync(item.Id, cancellationToken);");
        w.Open("if (existing is null || existing.Amount != item.Amount)");
        w.Line("await _store.SaveAsync(item with { CreatedAt = DateTimeOffset.UtcNow }, cancellationToken);");
        w.Close();
        w.Close();
        w.Open("finally");
        w.Line("_gate.Release();");
        w.Close();
        w.Close();
    }

    private static void WhenAllOverIds(Writer w, string e, string name)
    {
        w.Open($"public async Task<int> {name}Async(IEnumerable<int> ids, CancellationToken cancellationToken)");
        w.Line("var tasks = ids.Distinct().Select(async id =>");
        w.Line("{");
        w.Line("    var item = await _store.FindAsync(id, cancellationToken);");
        w.Line("    return item?.Amount ?? 0m;");
        w.Line("});");
        w.Line("var amounts = await Task.WhenAll(tasks);");
        w.Line("var total = amounts.Where(a => a > 0).Sum();");
        w.Line("_log.Info($\"total {total}\");");
        w.Line("return amounts.Count(a => a > 0);");
        w.Close();
    }

    private static void WhenAnyTimeout(Writer w, string e, string name)
    {
        w.Open($"public async Task<bool> {name}Async(TimeSpan timeout, CancellationToken cancellationToken)");
        w.Line("using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);");
        w.Line($"var work = _http.GetAsync(\"health/{e.ToLowerInvariant()}\", cts.Token);");
        w.Line("var delay = Task.Delay(timeout, cts.Token);");
        w.Line("var first = await Task.WhenAny(work, delay);");
        w.Line("await cts.CancelAsync();");
        w.Open("if (first != work)");
        w.Line("return false;");
        w.Close();
        w.Line();
        w.Line("using var response = await work;");
        w.Line("return response.IsSuccessStatusCode;");
        w.Close();
    }

    private static void CpuOnTaskRun(Writer w, string e, string name)
    {
        w.Open($"public Task<double> {name}Async(IReadOnlyList<{e}> items, CancellationToken cancellationToken)");
        w.Line("return Task.Run(() =>");
        w.Line("{");
        w.Line("    double sum = 0;");
        w.Line("    for (var i = 0; i < items.Count; i++)");
        w.Line("    {");
        w.Line("        cancellationToken.ThrowIfCancellationRequested();");
        w.Line("        sum += Math.Sqrt((double)items[i].Amount) * (i % 3 + 1);");
        w.Line("    }");
        w.Line();
        w.Line("    return sum;");
        w.Line("}, cancellationToken);");
        w.Close();
    }

    private static void CopyStream(Writer w, string e, string name)
    {
        w.Open($"public async Task<long> {name}Async(Stream source, Stream destination, CancellationToken cancellationToken)");
        w.Line("var buffer = new byte[8192];");
        w.Line("long total = 0;");
        w.Line("int read;");
        w.Open("while ((read = await source.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken)) > 0)");
        w.Line("await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);");
        w.Line("total += read;");
        w.Open("if (total % (1024 * 1024) == 0)");
        w.Line("_log.Info($\"copied {total} bytes\");");
        w.Close();
        w.Close();
        w.Line();
        w.Line("await destination.FlushAsync(cancellationToken);");
        w.Line("return total;");
        w.Close();
    }

    private static void LinqReport(Writer w, string e, string name)
    {
        w.Open($"public IReadOnlyList<string> {name}(IEnumerable<{e}> items)");
        w.Line("return items");
        w.Line("    .Where(x => x.Amount > 10m)");
        w.Line("    .GroupBy(x => x.CreatedAt.Year)");
        w.Line("    .OrderBy(g => g.Key)");
        w.Line("    .Select(g => $\"{g.Key}: {g.Count()} items, {g.Sum(x => x.Amount):F2}\")");
        w.Line("    .ToList();");
        w.Close();
    }

    private static void Filtered(Writer w, string e, string name)
    {
        w.Open($"public async IAsyncEnumerable<{e}> {name}Async(decimal minimum, [EnumeratorCancellation] CancellationToken cancellationToken = default)");
        w.Open("await foreach (var item in _store.ReadAllAsync(cancellationToken).ConfigureAwait(false))");
        w.Open("if (item.Amount >= minimum)");
        w.Line("yield return item;");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void Retry(Writer w, string e, string name)
    {
        w.Open($"public async Task<string?> {name}Async(string url, int attempts, CancellationToken cancellationToken)");
        w.Open("for (var attempt = 1; attempt <= attempts; attempt++)");
        w.Open("try");
        w.Line("using var response = await _http.GetAsync(url, cancellationToken).ConfigureAwait(false);");
        w.Line("response.EnsureSuccessStatusCode();");
        w.Line("return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);");
        w.Close();
        w.Open("catch (HttpRequestException ex) when (attempt < attempts)");
        w.Line("_log.Error(ex, $\"attempt {attempt} failed\");");
        w.Line("await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);");
        w.Close();
        w.Close();
        w.Line();
        w.Line("return null;");
        w.Close();
    }

    private static void WriteFile(Writer w, string e, string name)
    {
        w.Open($"public async Task {name}Async(IEnumerable<{e}> items, string fileName, CancellationToken cancellationToken)");
        w.Line("var builder = new StringBuilder();");
        w.Open("foreach (var item in items.OrderBy(x => x.Id))");
        w.Line("builder.Append(item.Id).Append(';').Append(item.Name).Append(';').Append(item.Amount).AppendLine();");
        w.Close();
        w.Line();
        w.Line("var path = Path.Combine(_root, fileName);");
        w.Line("await File.WriteAllTextAsync(path, builder.ToString(), cancellationToken);");
        w.Close();
    }

    private static void Classify(Writer w, string e, string name)
    {
        w.Line($"private static string {name}({e} item) => item switch");
        w.Line("{");
        w.Line("    { Amount: > 1000m } => \"large\",");
        w.Line("    { Amount: > 100m } => \"medium\",");
        w.Line("    { Name.Length: 0 } => \"unnamed\",");
        w.Line("    _ => \"small\",");
        w.Line("};");
    }

    private static void CountWithCancellation(Writer w, string e, string name)
    {
        w.Open($"public async Task<int> {name}Async(IReadOnlyList<int> ids, CancellationToken cancellationToken)");
        w.Line("var count = 0;");
        w.Open("try");
        w.Open("foreach (var id in ids)");
        w.Line("var item = await _store.FindAsync(id, cancellationToken);");
        w.Open("if (item is not null)");
        w.Line("count++;");
        w.Close();
        w.Close();
        w.Close();
        w.Open("catch (OperationCanceledException)");
        w.Line("_log.Info($\"cancelled after {count}\");");
        w.Line("throw;");
        w.Close();
        w.Line();
        w.Line("return count;");
        w.Close();
    }

    private static void ParallelSave(Writer w, string e, string name)
    {
        w.Open($"public async Task {name}Async(IReadOnlyList<{e}> items, CancellationToken cancellationToken)");
        w.Line("var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };");
        w.Line("await Parallel.ForEachAsync(items, options, async (item, token) =>");
        w.Line("{");
        w.Line("    await SaveOneAsync(item, token);");
        w.Line("});");
        w.Line();
        w.Open($"async ValueTask SaveOneAsync({e} item, CancellationToken token)");
        w.Line("await _store.SaveAsync(item, token).ConfigureAwait(false);");
        w.Line("Interlocked.Increment(ref _processed);");
        w.Close();
        w.Close();
    }

    private static void Completion(Writer w, string e, string name)
    {
        w.Open($"public Task<{e}> {name}Async(int id, CancellationToken cancellationToken)");
        w.Line($"var completion = new TaskCompletionSource<{e}>(TaskCreationOptions.RunContinuationsAsynchronously);");
        w.Line("cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken));");
        w.Line($"ThreadPool.QueueUserWorkItem(_ => completion.TrySetResult(new {e}(id, \"queued\", 0m, DateTimeOffset.UtcNow)));");
        w.Line("return completion.Task;");
        w.Close();
    }

    // ---- pitfalls ----

    private static void ResultInSyncMethod(Writer w, string e, string name)
    {
        w.Open($"public string {name}(int id)");
        w.Line("var item = _store.FindAsync(id).Result;");
        w.Line("return item?.Name ?? \"none\";");
        w.Close();
    }

    private static void GetResultInSyncMethod(Writer w, string e, string name)
    {
        w.Open($"public void {name}({e} item)");
        w.Line("_store.SaveAsync(item).GetAwaiter().GetResult();");
        w.Close();
    }

    private static void SleepInAsync(Writer w, string e, string name)
    {
        w.Open($"public async Task {name}Async(CancellationToken cancellationToken)");
        w.Open("while (!cancellationToken.IsCancellationRequested)");
        w.Line("var found = await _store.FindAsync(_processed, cancellationToken);");
        w.Open("if (found is not null)");
        w.Line("break;");
        w.Close();
        w.Line();
        w.Line("Thread.Sleep(250);");
        w.Close();
        w.Close();
    }

    private static void FireAndForget(Writer w, string e, string name)
    {
        w.Open($"public void {name}({e} item)");
        w.Line("_store.SaveAsync(item);");
        w.Line("_log.Info(\"queued\");");
        w.Close();
    }

    private static void AsyncVoidHandler(Writer w, string e, string name)
    {
        w.Open($"public async void On{name}(object? sender, EventArgs args)");
        w.Line($"await _store.SaveAsync(new {e}(_processed, \"changed\", 1m, DateTimeOffset.UtcNow)).ConfigureAwait(false);");
        w.Close();
    }

    private static void SyncIoInAsync(Writer w, string e, string name)
    {
        w.Open($"public async Task<int> {name}Async(string fileName, CancellationToken cancellationToken)");
        w.Line("var lines = File.ReadAllLines(Path.Combine(_root, fileName));");
        w.Line("await Task.Delay(1, cancellationToken);");
        w.Line("return lines.Length;");
        w.Close();
    }

    private static void TokenNotForwarded(Writer w, string e, string name)
    {
        w.Open($"public async Task<{e}?> {name}Async(int id, CancellationToken cancellationToken)");
        w.Line("cancellationToken.ThrowIfCancellationRequested();");
        w.Line("var item = await _store.FindAsync(id);");
        w.Line("return item;");
        w.Close();
    }

    private static void SwallowedCancellation(Writer w, string e, string name)
    {
        w.Open($"public async Task {name}Async(IReadOnlyList<{e}> items, CancellationToken cancellationToken)");
        w.Open("foreach (var item in items)");
        w.Open("try");
        w.Line("await _store.SaveAsync(item, cancellationToken);");
        w.Close();
        w.Open("catch (OperationCanceledException)");
        w.Close();
        w.Close();
        w.Close();
    }

    private static void WaitInSyncMethod(Writer w, string e, string name)
    {
        w.Open($"public void {name}(TimeSpan delay)");
        w.Line("Task.Delay(delay).Wait();");
        w.Line("Interlocked.Increment(ref _processed);");
        w.Close();
    }

    private static void AsyncLambdaAsAction(Writer w, string e, string name)
    {
        w.Open($"public void {name}(List<{e}> items)");
        w.Line("items.ForEach(async item => await _store.SaveAsync(item));");
        w.Close();
    }

    /// <summary>A string builder that keeps the indentation of braces.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder builder = new();
        private int depth;

        public void Line(string text = "")
        {
            if (text.Length > 0) builder.Append(' ', depth * 4).Append(text);
            builder.Append('\n');
        }

        public void Open(string header)
        {
            Line(header);
            Line("{");
            depth++;
        }

        public void Close()
        {
            depth--;
            Line("}");
        }

        public override string ToString() => builder.ToString();
    }
}
