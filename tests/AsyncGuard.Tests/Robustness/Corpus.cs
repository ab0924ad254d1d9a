using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using AsyncGuard.Tests.Conventions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Robustness;

/// <summary>
/// The sources the robustness tests run on: every test input of the rule tests (the raw
/// string literals of tests/AsyncGuard.Tests/Rules, markup removed), every sample file, and a
/// few large generated files with unusual syntax.
/// </summary>
internal static class Corpus
{
    public sealed record Source(string Name, string Text, OutputKind OutputKind = OutputKind.DynamicallyLinkedLibrary);

    public static IReadOnlyList<Source> TestInputs { get; } = LoadTestInputs();

    public static IReadOnlyList<Source> Samples { get; } =
        Repository.SampleFiles.Select(f => new Source(Path.GetRelativePath(Repository.Root, f), File.ReadAllText(f))).ToList();

    private static List<Source> LoadTestInputs()
    {
        var result = new List<Source>();
        var folder = Repository.PathOf("tests", "AsyncGuard.Tests", "Rules");
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            var index = 0;
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)) continue;
                var text = token.ValueText;
                if (!text.Contains("class ", StringComparison.Ordinal) && !text.Contains("await ", StringComparison.Ordinal)) continue;
                TestFileMarkupParser.GetSpans(text, out string source, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
                var topLevel = !text.Contains("class ", StringComparison.Ordinal) || IsTopLevel(source);
                result.Add(new Source($"{Path.GetFileName(file)}#{index++}", source, topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary));
            }
        }

        return result;
    }

    private static bool IsTopLevel(string source) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().ChildNodes().Any(n => n.IsKind(SyntaxKind.GlobalStatement));

    /// <summary>
    /// Large and unusual files: deep nesting, a 10,000-line method, many lambdas, newer syntax;
    /// a quick run takes a 2,500-line method and 200 lambdas.
    /// </summary>
    public static IEnumerable<Source> Generated(int scale, bool quick)
    {
        yield return new Source("generated/deep-nesting", DeepNesting(60 * Math.Max(scale, 1)));
        yield return new Source("generated/long-method", LongMethod(quick ? 2_500 : 10_000 * scale));
        yield return new Source("generated/many-lambdas", ManyLambdas(quick ? 200 : 400 * scale));
        yield return new Source("generated/modern-syntax", ModernSyntax);
        yield return new Source("generated/top-level", TopLevel, OutputKind.ConsoleApplication);
    }

    private static string DeepNesting(int depth)
    {
        var builder = new StringBuilder("using System; using System.Threading; using System.Threading.Tasks;\nclass Deep\n{\n    async Task M(CancellationToken ct)\n    {\n");
        for (var i = 0; i < depth; i++)
        {
            builder.Append(' ', 8).AppendLine((i % 3) switch
            {
                0 => "try {",
                1 => $"if (ct.IsCancellationRequested == false) {{ Thread.Sleep({i + 1});",
                _ => "while (!ct.IsCancellationRequested) { await Task.Delay(1, ct);",
            });
        }

        for (var i = depth - 1; i >= 0; i--)
        {
            builder.Append(' ', 8).AppendLine(i % 3 == 0
                ? "} catch (OperationCanceledException) { } catch (Exception) { Console.WriteLine(); }"
                : i % 3 == 2 ? "break; }" : "}");
        }

        return builder.Append("    }\n}\n").ToString();
    }

    private static string LongMethod(int lines)
    {
        var builder = new StringBuilder("using System; using System.IO; using System.Threading; using System.Threading.Tasks;\nclass Long\n{\n    async Task<int> M(Stream s, CancellationToken ct)\n    {\n        var total = 0;\n        var buffer = new byte[16];\n");
        for (var i = 0; i < lines; i++)
        {
            builder.AppendLine((i % 7) switch
            {
                0 => $"        total += {i};",
                1 => "        total += s.Read(buffer, 0, buffer.Length);",
                2 => "        await Task.Yield();",
                3 => "        if (total > 100) total -= await s.ReadAsync(buffer, 0, 1, ct);",
                4 => "        Task.Run(() => total++).Wait();",
                5 => "        _ = Task.Delay(1);",
                _ => "        Thread.Sleep(1);",
            });
        }

        return builder.Append("        return total;\n    }\n}\n").ToString();
    }

    private static string ManyLambdas(int count)
    {
        var builder = new StringBuilder("using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks;\nclass Lambdas\n{\n    void M(List<int> items, CancellationToken ct)\n    {\n");
        for (var i = 0; i < count; i++)
        {
            builder.AppendLine((i % 5) switch
            {
                0 => $"        items.ForEach(async x => await Task.Delay(x + {i}, ct));",
                1 => $"        Func<Task> f{i} = async () => {{ Thread.Sleep({i}); await Task.Yield(); }};",
                2 => $"        Action a{i} = async () => await Task.Delay({i});",
                3 => $"        Task.Factory.StartNew(async () => await Task.Delay({i}));",
                _ => $"        Func<int, Task<int>> g{i} = x => Task.FromResult(Task.Run(() => x).Result);",
            });
        }

        return builder.Append("    }\n}\n").ToString();
    }

    private const string ModernSyntax = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        public record Order(int Id, string Name);

        public sealed class Service(Stream stream, CancellationToken shutdown) : IAsyncDisposable
        {
            private readonly List<int> _ids = [1, 2, 3];

            public async IAsyncEnumerable<Order> ReadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
            {
                await foreach (var x in Source(ct))
                {
                    yield return x is { Id: > 0 } o ? o with { Name = o.Name ?? "" } : new Order(0, "");
                }
            }

            private static async IAsyncEnumerable<Order> Source([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
            {
                await Task.Delay(1, ct);
                yield return new(1, "a");
            }

            public async Task<int?> LengthAsync(Order? order)
            {
                await using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, shutdown);
                var local = (order?.Name?.Length, _ids is [var first, ..] ? first : 0);
                return order switch
                {
                    null => null,
                    { Name: var n } when n.Length > 3 => local.Item1,
                    _ => (int)copy.Length,
                };
            }

            public ValueTask DisposeAsync() => stream.DisposeAsync();

            static int Local()
            {
                return Helper(2);
                static int Helper(int v) => v * 2;
            }
        }
        """;

    private const string TopLevel = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        var cts = new CancellationTokenSource();
        Thread.Sleep(10);
        Task.Run(() => Console.WriteLine("x"));
        try
        {
            await Task.Delay(10, cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await Loop(cts.Token);

        static async Task Loop(CancellationToken ct)
        {
            while (true)
            {
                try { await Task.Delay(1, ct); }
                catch (OperationCanceledException) { }
            }
        }
        """;
}
