"""calcviz — the numeric core of the course videos: numpy and scipy only, never manim.

Every number a scene shows is computed here and returned as a frozen result:

>>> import calcviz as cv
>>> cv.secant_slopes(cv.function("cubic").f, 2.0, [1.0, 0.5]).slope
array([3.75  , 2.8125])
>>> cv.minimize(cv.landscape("bowl"), "gradient_descent", lr=0.1).status
CONVERGED
"""
from .approximation import (
    critical_point, newton_raphson, newton_raphson_system, quadratic_approximation, taylor,
    taylor_from_derivatives,
)
from .contours import Contours, contour_lines, landscape_contours, pick_levels
from .datasets import height_histogram, load_co2, load_heights, load_penguins, read_csv
from .derivatives import (
    backward_difference, central_difference, chain_nudge, derivative_curve, difference, difference_errors,
    forward_difference, power_nudge, product_nudge, secant_slopes, shrinking_nudges, sum_nudge,
)
from .errors import CalcvizError
from .explorers import Sandpit, StepSizes, sandpit, step_sizes, verdict, verdict_message
from .fitting import (
    FitProblem, FitResult, chi2_grid, co2_problem, fit, gauss_newton, heights_problem, levenberg_marquardt,
    steepest_descent,
)
from .functions import FUNCTIONS, Function1D, function
from .lagrange import constraint, lagrange, trace_constraint
from .landscapes import (
    LANDSCAPES, Landscape, compass, critical_kind, directional_derivatives, landscape, landscape_names,
    principal_curvatures,
)
from .loss_landscape import pca_slice, random_slice
from .maps import local_linearity, warp, warp_jacobian
from .network import MLP, Params, TrainingHistory, train
from .numdiff import gradient, hessian, jacobian
from .optimizers import (
    METHODS, Rule, adam, backtracking_line_search, gradient_descent, make_rule, minimize, momentum, nesterov,
    newton, rmsprop, run,
)
from .result import Status, Trajectory
from .toy_data import Dataset, make_dataset

__all__ = [name for name in dir() if not name.startswith("_")]
