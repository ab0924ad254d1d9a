using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using AsyncGuard.Tests.Conventions;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace AsyncGuard.Tests.Package;

/// <summary>
/// The package as an editor shows it: a consumer project opened in csharp-ls, a C# language
/// server, gets AsyncGuard's diagnostics over the Language Server Protocol with the ranges and
/// severities a build reports. csharp-ls offers only Roslyn's own fixes, so the fixes are
/// covered by the Fix All tests, not here.
/// </summary>
[Trait("Category", "Package")]
[Collection(PackageCollection.Name)]
public sealed class EditorTests
{
    private const string CsharpLsVersion = "0.28.0";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly PackedPackage package;
    private readonly ITestOutputHelper output;

    public EditorTests(PackedPackage package, ITestOutputHelper output)
    {
        this.package = package;
        this.output = output;
    }

    [Fact]
    public async Task CsharpLs_OpenedConsumer_ShowsDiagnosticsWithRangesAndSeverities()
    {
        var tools = Path.Combine(package.Work, "tools");
        (await package.DotNet.RunAsync(package.Work, "tool", "install", "csharp-ls", "--version", CsharpLsVersion, "--tool-path", tools))
            .EnsureSuccess("dotnet tool install csharp-ls");

        var app = package.NewConsumer("editor", package.ProjectXml());
        var source = PackageConsumptionTests.ProgramSource.ReplaceLineEndings("\n");
        File.WriteAllText(Path.Combine(app, "Program.cs"), source);
        (await package.DotNet.RunAsync(app, "restore")).EnsureSuccess("dotnet restore of the consumer");

        var diagnostics = await DiagnosticsOverLspAsync(Path.Combine(tools, "csharp-ls"), app, "Program.cs", source);

        var expected = new[]
            {
                Expect("AGD0001", source, "Thread.Sleep(100)"),
                Expect("AGD0004", source, "Result", after: "task."),
                Expect("AGD0030", source, "new TaskCompletionSource<int>()"),
                Expect("AGD0040", source, "Sync(Source())"),
            };
        Assert.Equal(expected, diagnostics.Where(d => d.StartsWith("AGD", StringComparison.Ordinal)).OrderBy(d => d, StringComparer.Ordinal));
    }

    /// <summary>"id line:character-line:character severity" as LSP gives it (zero-based; 2 warning, 3 information).</summary>
    private static string Expect(string id, string source, string text, string after = "")
    {
        var start = source.IndexOf(after + text, StringComparison.Ordinal) + after.Length;
        Assert.True(start >= after.Length, $"'{text}' is not in the source");
        var severity = Repository.Descriptors.Single(d => d.Id == id).DefaultSeverity switch
        {
            DiagnosticSeverity.Error => 1,
            DiagnosticSeverity.Warning => 2,
            DiagnosticSeverity.Info => 3,
            _ => 4,
        };
        return $"{id} {Position(source, start)}-{Position(source, start + text.Length)} {severity}";
    }

    private static string Position(string source, int offset)
    {
        var line = source.Take(offset).Count(c => c == '\n');
        var character = offset - (source.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1);
        return $"{line}:{character}";
    }

    /// <summary>Opens the folder in the server, opens the file, and pulls its diagnostics until AsyncGuard's appear.</summary>
    private async Task<List<string>> DiagnosticsOverLspAsync(string server, string folder, string file, string text)
    {
        var start = new ProcessStartInfo(server)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["NUGET_PACKAGES"] = package.DotNet.PackagesFolder;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(Patience);
        var messages = Channel.CreateUnbounded<JsonNode>();
        var reading = ReadMessagesAsync(process.StandardOutput.BaseStream, messages.Writer, timeout.Token);
        var stdin = process.StandardInput.BaseStream;
        var folderUri = new Uri(folder).AbsoluteUri;
        var fileUri = new Uri(Path.Combine(folder, file)).AbsoluteUri;
        var nextId = 100;
        var loaded = false;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await SendAsync(stdin, new JsonObject
            {
                ["id"] = 1,
                ["method"] = "initialize",
                ["params"] = new JsonObject
                {
                    ["processId"] = Environment.ProcessId,
                    ["rootUri"] = folderUri,
                    ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = folderUri, ["name"] = "editor" }),
                    ["capabilities"] = JsonNode.Parse("""{"workspace":{"configuration":true,"workspaceFolders":true},"window":{"workDoneProgress":true},"textDocument":{"diagnostic":{},"publishDiagnostics":{}}}"""),
                },
            }, timeout.Token);

            while (true)
            {
                var message = await ReadOrPollAsync(messages.Reader, loaded ? TimeSpan.FromSeconds(2) : Patience, timeout.Token);
                if (message is null)
                {
                    await SendAsync(stdin, Request(nextId++, "textDocument/diagnostic", new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = fileUri } }), timeout.Token);
                    continue;
                }

                var method = (string?)message["method"];
                if (method is null && (int?)message["id"] == 1)
                {
                    await SendAsync(stdin, new JsonObject { ["method"] = "initialized", ["params"] = new JsonObject() }, timeout.Token);
                    await SendAsync(stdin, new JsonObject
                    {
                        ["method"] = "textDocument/didOpen",
                        ["params"] = new JsonObject { ["textDocument"] = new JsonObject { ["uri"] = fileUri, ["languageId"] = "csharp", ["version"] = 1, ["text"] = text } },
                    }, timeout.Token);
                }
                else if (method is null && message["result"]?["items"] is JsonArray items)
                {
                    var found = items.Select(d => $"{(string?)d!["code"]} {d["range"]!["start"]!["line"]}:{d["range"]!["start"]!["character"]}-{d["range"]!["end"]!["line"]}:{d["range"]!["end"]!["character"]} {d["severity"]}").ToList();
                    if (found.Any(f => f.StartsWith("AGD", StringComparison.Ordinal)))
                    {
                        output.WriteLine($"diagnostics after {stopwatch.Elapsed.TotalSeconds:F1}s:\n  " + string.Join("\n  ", found));
                        return found;
                    }
                }
                else if (method is not null && message["id"] is { } id)
                {
                    // The server asks for its settings: analyzers on, the rest as defaults.
                    JsonNode? result = method == "workspace/configuration"
                        ? new JsonArray(message["params"]!["items"]!.AsArray().Select(_ => (JsonNode)new JsonObject { ["analyzersEnabled"] = true }).ToArray())
                        : null;
                    await SendAsync(stdin, new JsonObject { ["id"] = id.DeepClone(), ["result"] = result }, timeout.Token);
                }
                else if (method == "$/progress" && (string?)message["params"]?["value"]?["kind"] == "end")
                {
                    output.WriteLine($"{message["params"]!["value"]!["message"]} after {stopwatch.Elapsed.TotalSeconds:F1}s");
                    loaded = true;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"csharp-ls showed no AsyncGuard diagnostic within {Patience.TotalMinutes} minutes (project loaded: {loaded})");
        }
        finally
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await process.WaitForExitAsync(CancellationToken.None);
            try { await reading; } catch (Exception e) when (e is IOException or OperationCanceledException) { }
        }
    }

    private static JsonObject Request(int id, string method, JsonObject parameters) =>
        new() { ["id"] = id, ["method"] = method, ["params"] = parameters };

    private static async Task<JsonNode?> ReadOrPollAsync(ChannelReader<JsonNode> reader, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(poll);
        try
        {
            return await reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static async Task SendAsync(Stream stdin, JsonObject message, CancellationToken cancellationToken)
    {
        message["jsonrpc"] = "2.0";
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        await stdin.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"), cancellationToken);
        await stdin.WriteAsync(body, cancellationToken);
        await stdin.FlushAsync(cancellationToken);
    }

    /// <summary>Reads "Content-Length" framed JSON-RPC messages until the stream ends.</summary>
    private static async Task ReadMessagesAsync(Stream stdout, ChannelWriter<JsonNode> writer, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var chunk = new byte[8192];
        try
        {
            while (true)
            {
                var headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray());
                if (headerEnd >= 0)
                {
                    var header = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray());
                    var length = int.Parse(header.Split("\r\n").Single(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim());
                    if (buffer.Count >= headerEnd + 4 + length)
                    {
                        var body = buffer.GetRange(headerEnd + 4, length).ToArray();
                        buffer.RemoveRange(0, headerEnd + 4 + length);
                        await writer.WriteAsync(JsonNode.Parse(body)!, cancellationToken);
                        continue;
                    }
                }

                var read = await stdout.ReadAsync(chunk, cancellationToken);
                if (read == 0) return;
                buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++) match = buffer[i + j] == pattern[j];
            if (match) return i;
        }

        return -1;
    }
}
