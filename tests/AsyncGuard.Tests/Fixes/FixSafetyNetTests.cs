using System.Linq;
using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Common;
using AsyncGuard.Tests.Conventions;
using AsyncGuard.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Fixes;

/// <summary>
/// The last safety net of every fix (FixSafety): an edit that adds a compiler error is thrown
/// away and the original kept; an edit that adds none, or only moves an error that was there,
/// is kept.
/// </summary>
public sealed class FixSafetyNetTests
{
    private const string Source = """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                int count = 1;
                await Task.Delay(count);
            }
        }
        """;

    private static Document Document(string text) => new Workbench(Repository.Analyzers).CreateDocument(text);

    private static Document Edit(Document document, string oldText, string newText)
    {
        var text = document.GetTextAsync().Result;
        var start = text.ToString().IndexOf(oldText, System.StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{oldText}' not in the source");
        return document.WithText(text.WithChanges(new TextChange(new TextSpan(start, oldText.Length), newText)));
    }

    [Fact]
    public async Task FixThatBreaksTheBuild_IsDropped()
    {
        var original = Document(Source);
        var broken = Edit(original, "await Task.Delay(count);", "await Task.Delay(missing);");

        var kept = await FixSafety.KeepIfNoNewErrorsAsync(original, broken, default);

        Assert.Same(original, kept);
    }

    [Fact]
    public async Task FixThatMakesAMethodNotCompile_ByAwaitInSyncMethod_IsDropped()
    {
        var original = Document(Source.Replace("async Task M()", "void N() { }\n\n    async Task M()", System.StringComparison.Ordinal));
        var broken = Edit(original, "void N() { }", "void N() { await Task.Yield(); }");

        Assert.Same(original, await FixSafety.KeepIfNoNewErrorsAsync(original, broken, default));
    }

    [Fact]
    public async Task FixThatCompiles_IsKept()
    {
        var original = Document(Source);
        var good = Edit(original, "await Task.Delay(count);", "await Task.Delay(count + 1);");

        var kept = await FixSafety.KeepIfNoNewErrorsAsync(original, good, default);

        Assert.Same(good, kept);
    }

    [Fact]
    public async Task ErrorThatWasThereBefore_DoesNotDropTheFix()
    {
        var original = Document(Source.Replace("int count = 1;", "int count = undefined;", System.StringComparison.Ordinal));
        var edited = Edit(original, "await Task.Delay(count);", "await Task.Delay(count + 1);");

        Assert.NotEmpty((await original.GetSemanticModelAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Same(edited, await FixSafety.KeepIfNoNewErrorsAsync(original, edited, default));
    }
}
