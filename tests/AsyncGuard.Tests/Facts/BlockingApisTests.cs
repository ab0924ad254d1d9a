using System;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard.Tests.Facts;

/// <summary>
/// <see cref="BlockingApis.Blocks"/>, the one answer to "does this call block, and why?", asked
/// about calls in a synchronous helper (no async context needed), as AGD0040 will ask it.
/// </summary>
public sealed class BlockingApisTests
{
    private const string Source = """
        using System;
        using System.Collections.Concurrent;
        using System.IO;
        using System.IO.Compression;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        static class Helper
        {
            static int Run(Task<int> task, Task plain, FileStream file, MemoryStream memory, HttpClient http,
                ManualResetEventSlim ready, BlockingCollection<int> queue, WaitHandle handle, SemaphoreSlim gate, byte[] buffer)
            {
                Thread.Sleep(10);
                var a = task.Result;
                plain.Wait();
                plain.Wait(0);
                task.GetAwaiter().GetResult();
                Task.WaitAll(plain, task);
                var b = Task.FromResult(1).Result;
                file.Read(buffer, 0, 1);
                memory.Read(buffer, 0, 1);
                http.Send(new HttpRequestMessage());
                ready.Wait();
                queue.Take();
                handle.WaitOne();
                handle.WaitOne(TimeSpan.Zero);
                gate.Wait();
                Console.WriteLine(a + b);
                new GZipStream(memory, CompressionMode.Decompress).CopyTo(memory);
                new GZipStream(file, CompressionMode.Decompress).CopyTo(memory);
                Wrap(memory).CopyTo(memory);
                return buffer.Length;
            }

            static Stream Wrap(Stream inner) => inner;
        }
        """;

    [Theory]
    [InlineData("Thread.Sleep(10)", "Sleep", "Thread.Sleep")]
    [InlineData("task.Result", "TaskWait", "Task<T>.Result")]
    [InlineData("plain.Wait()", "TaskWait", "Task.Wait")]
    [InlineData("task.GetAwaiter().GetResult()", "TaskWait", "GetAwaiter().GetResult()")]
    [InlineData("Task.WaitAll(plain, task)", "TaskWait", "Task.WaitAll")]
    [InlineData("file.Read(buffer, 0, 1)", "BlockingIo", "FileStream.Read")]
    [InlineData("http.Send(new HttpRequestMessage())", "BlockingIo", "HttpClient.Send")]
    [InlineData("ready.Wait()", "Primitive", "ManualResetEventSlim.Wait")]
    [InlineData("queue.Take()", "Primitive", "BlockingCollection.Take")]
    [InlineData("handle.WaitOne()", "Primitive", "WaitHandle.WaitOne")]
    [InlineData("gate.Wait()", "BlockingIo", "SemaphoreSlim.Wait")]
    public void Call_InSyncHelper_BlocksForItsReason(string call, string kind, string display)
    {
        var reason = Blocks(call);
        Assert.NotNull(reason);
        Assert.Equal(kind, reason!.Kind.ToString());
        Assert.Equal(display, reason.Call);
    }

    [Fact]
    public void BlockingIo_NamesItsTwin()
    {
        Assert.Equal("FileStream.ReadAsync", Blocks("file.Read(buffer, 0, 1)")!.Twin);
        Assert.Equal("HttpClient.SendAsync", Blocks("http.Send(new HttpRequestMessage())")!.Twin);
    }

    [Fact]
    public void StreamOverAFile_StillBlocks() =>
        Assert.Equal(BlockingKind.BlockingIo, Blocks("new GZipStream(file, CompressionMode.Decompress).CopyTo(memory)")?.Kind);

    [Theory]
    [InlineData("plain.Wait(0)")]
    [InlineData("Task.FromResult(1).Result")]
    [InlineData("memory.Read(buffer, 0, 1)")]
    [InlineData("handle.WaitOne(TimeSpan.Zero)")]
    [InlineData("Console.WriteLine(a + b)")]
    [InlineData("new GZipStream(memory, CompressionMode.Decompress).CopyTo(memory)")]
    [InlineData("Wrap(memory).CopyTo(memory)")]
    public void Call_ThatDoesNotBlock_HasNoReason(string call) => Assert.Null(Blocks(call));

    private static BlockingReason? Blocks(string text)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Facts", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var model = compilation.GetSemanticModel(tree);
        var node = tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>().Single(e => e.ToString() == text && e is InvocationExpressionSyntax or MemberAccessExpressionSyntax);
        var operation = model.GetOperation(node);
        Assert.NotNull(operation);
        var symbols = KnownSymbols.From(compilation);
        Assert.NotNull(symbols);
        return BlockingApis.For(symbols!).Blocks(operation!);
    }
}
