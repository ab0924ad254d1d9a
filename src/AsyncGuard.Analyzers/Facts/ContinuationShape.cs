using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AsyncGuard;

/// <summary>
/// <c>task.ContinueWith(t => t)</c>: a synchronous continuation that returns its antecedent. The
/// outer task completes when the antecedent has, with the (complete) antecedent as its result, so
/// awaiting it waits for the task without rethrowing its exception: a deliberate idiom, not a
/// lost inner task. <c>.Unwrap()</c> there would rethrow.
/// </summary>
internal static class ContinuationShape
{
    public static bool ReturnsAntecedent(IInvocationOperation continueWith)
    {
        foreach (var argument in continueWith.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation or IDelegateCreationOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
            }

            if (value is not IAnonymousFunctionOperation { Symbol: { IsAsync: false, Parameters.Length: > 0 } lambda } function) continue;
            var antecedent = lambda.Parameters[0];
            var returns = 0;
            foreach (var operation in function.Body.Descendants())
            {
                if (operation is not IReturnOperation { ReturnedValue: { } returned }) continue;
                while (returned is IConversionOperation { Operand: { } operand }) returned = operand;
                if (returned is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, antecedent)) return false;
                returns++;
            }

            return returns > 0;
        }

        return false;
    }
}
