using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using AsyncGuard.CodeFixes.Common;
using AsyncGuard.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace AsyncGuard.CodeFixes.Rules;

/// <summary>
/// Fixes AGD0040: awaits the helper's own async twin (passing the token in scope when only the
/// twin with a token fits), or offloads the call with <c>await Task.Run(() =&gt; Helper())</c>.
/// Makes the enclosing task-returning function async where its returns can be rewritten; not
/// offered where an <c>await</c> cannot go.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingHelperCodeFixProvider)), Shared]
public sealed class BlockingHelperCodeFixProvider : CodeFixProvider
{
    public const string AwaitTwinKey = "AGD0040.AwaitAsyncTwin";
    public const string OffloadKey = "AGD0040.OffloadToTaskRun";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.AGD0040_BlockingHelper.Id);

    public override FixAllProvider GetFixAllProvider() => FixAll.Provider;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(BlockingHelperAnalyzer.FixProperty, out var kind) || kind is null) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax call || call.Span != diagnostic.Location.SourceSpan) continue;
            var function = AsyncFunction.Enclosing(call);
            if (function is null || !AsyncFunction.CanAwaitAt(call, function) || CallSyntax.InConditionalAccess(call, function)) continue;
            if (!AsyncFunction.CanBecomeAsync(function, model, context.CancellationToken)) continue;

            if (kind == BlockingHelperAnalyzer.FixTwin && call is InvocationExpressionSyntax
                && diagnostic.Properties.TryGetValue(BlockingHelperAnalyzer.TwinProperty, out var twin) && twin is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create($"Await '{twin}'", ct => FixAsync(context.Document, call, diagnostic, ct), AwaitTwinKey),
                    diagnostic);
            }
            else if (kind == BlockingHelperAnalyzer.FixOffload)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Offload with 'await Task.Run'", ct => FixAsync(context.Document, call, diagnostic, ct), OffloadKey),
                    diagnostic);
            }
        }
    }

    private static Task<Document> FixAsync(Document document, ExpressionSyntax call, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        var awaitsTwin = properties.TryGetValue(BlockingHelperAnalyzer.FixProperty, out var kind) && kind == BlockingHelperAnalyzer.FixTwin
            && properties.TryGetValue(BlockingHelperAnalyzer.TwinProperty, out var twin) && twin is not null
            && call is InvocationExpressionSyntax;
        return CallSyntax.AwaitInPlaceAsync(
            document,
            call,
            awaitsTwin ? _ => TwinCall((InvocationExpressionSyntax)call, properties[BlockingHelperAnalyzer.TwinProperty]!, properties) : null,
            properties.ContainsKey(BlockingHelperAnalyzer.ConfigurableProperty),
            cancellationToken);
    }

    /// <summary><c>x.LoadAsync(args[, token])</c>: the same receiver, type arguments and arguments, renamed.</summary>
    private static ExpressionSyntax? TwinCall(InvocationExpressionSyntax invocation, string twin, ImmutableDictionary<string, string?> properties)
    {
        ExpressionSyntax? expression = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.WithName(CallSyntax.Rename(member.Name, twin)),
            SimpleNameSyntax name => CallSyntax.Rename(name, twin),
            _ => null,
        };
        if (expression is null) return null;

        var arguments = invocation.ArgumentList;
        if (properties.TryGetValue(BlockingHelperAnalyzer.TokenProperty, out var token) && token is not null)
            arguments = arguments.WithArguments(arguments.Arguments.Add(Argument(ParseExpression(token))));

        return invocation.WithExpression(expression).WithArgumentList(arguments).WithoutTrivia();
    }
}
